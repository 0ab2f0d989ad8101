import { describe, expect, it } from 'vitest';
import { IDENTITY, MAX_SCALE, pinched, swipeDirection, toggledZoom } from './zoom.ts';

describe('pinched', () => {
  it('scales by the change of distance between the fingers, keeping the midpoint in place', () => {
    const view = pinched(IDENTITY, 100, 200, { x: 50, y: 0 });
    expect(view.scale).toBe(2);
    // The point under the fingers (50 px right of centre) stays there: 50 = x + 50 × 2.
    expect(view.x).toBe(-50);
  });
  it('never goes below fit or above the maximum', () => {
    expect(pinched(IDENTITY, 200, 100, { x: 0, y: 0 })).toEqual(IDENTITY);
    expect(pinched(IDENTITY, 10, 1000, { x: 0, y: 0 }).scale).toBe(MAX_SCALE);
  });
});

describe('toggledZoom', () => {
  it('zooms in at the tapped point, then back to fit', () => {
    const zoomed = toggledZoom(IDENTITY, { x: 10, y: -20 });
    expect(zoomed.scale).toBe(2.5);
    expect(toggledZoom(zoomed, { x: 0, y: 0 })).toEqual(IDENTITY);
  });
});

describe('swipeDirection', () => {
  it('a long sideways drag moves to the next (leftwards) or previous (rightwards) image', () => {
    expect(swipeDirection(-120, 10)).toBe(1);
    expect(swipeDirection(120, -10)).toBe(-1);
  });
  it('short or mostly vertical drags do nothing', () => {
    expect(swipeDirection(-30, 0)).toBe(0);
    expect(swipeDirection(-100, 90)).toBe(0);
  });
});
