/** The image viewer's gesture arithmetic. Pure, unit-tested. */

export interface View {
  scale: number;
  x: number;
  y: number;
}

export const MIN_SCALE = 1;
export const MAX_SCALE = 5;
/** A horizontal drag at least this long (px), mostly sideways, at scale 1, moves to the next image. */
export const SWIPE_DISTANCE = 60;

export const IDENTITY: View = { scale: 1, x: 0, y: 0 };

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * The view after a pinch: the distance between two fingers went from `startDistance` to `distance`,
 * their midpoint (relative to the image's centre) stays under the fingers.
 */
export function pinched(start: View, startDistance: number, distance: number, mid: { x: number; y: number }): View {
  const scale = clamp(start.scale * (distance / Math.max(1, startDistance)), MIN_SCALE, MAX_SCALE);
  if (scale === MIN_SCALE) return IDENTITY;
  const ratio = scale / start.scale;
  return { scale, x: mid.x - (mid.x - start.x) * ratio, y: mid.y - (mid.y - start.y) * ratio };
}

/** Double tap: zoom in 2.5× around the point (relative to the centre), or back to fit. */
export function toggledZoom(view: View, at: { x: number; y: number }): View {
  if (view.scale > MIN_SCALE) return IDENTITY;
  const scale = 2.5;
  return { scale, x: -at.x * (scale - 1), y: -at.y * (scale - 1) };
}

/** A one-finger gesture at scale 1: -1 (previous), 1 (next) or 0 (neither). */
export function swipeDirection(dx: number, dy: number): -1 | 0 | 1 {
  if (Math.abs(dx) < SWIPE_DISTANCE || Math.abs(dx) < Math.abs(dy) * 1.5) return 0;
  return dx < 0 ? 1 : -1;
}
