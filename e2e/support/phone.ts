import { crc32, deflateSync } from 'node:zlib';
import type { BrowserContext, Page } from '@playwright/test';

/** The phone profile of issue 17: 375 × 667, touch. */
export const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true } as const;

/**
 * Headless Chromium has no on-screen keyboard: this stands in for `window.visualViewport` so a test
 * can shrink it as a keyboard does (`__keyboard(300)` leaves 300 px less on screen) and fire `resize`.
 */
export async function fakeKeyboard(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    if (!window.visualViewport) return;
    let keyboard = 0;
    const fake = new EventTarget();
    const fixed = { offsetTop: 0, offsetLeft: 0, scale: 1, pageTop: 0, pageLeft: 0 };
    for (const [key, value] of Object.entries(fixed)) Object.defineProperty(fake, key, { value });
    Object.defineProperty(fake, 'height', { get: () => window.innerHeight - keyboard });
    Object.defineProperty(fake, 'width', { get: () => window.innerWidth });
    Object.defineProperty(window, 'visualViewport', { value: fake, configurable: true });
    (window as unknown as { __keyboard(px: number): void }).__keyboard = (px) => {
      keyboard = px;
      fake.dispatchEvent(new Event('resize'));
    };
  });
}

/** A solid-colour PNG of the given size, for images worth zooming. */
export function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/** A one-finger swipe, or a two-finger pinch when `second` is given, as touch events through CDP. */
export async function touchGesture(page: Page, first: { from: Point; to: Point }, second?: { from: Point; to: Point }): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const at = (step: number, steps: number) => {
    const lerp = (g: { from: Point; to: Point }) => ({ x: g.from.x + ((g.to.x - g.from.x) * step) / steps, y: g.from.y + ((g.to.y - g.from.y) * step) / steps });
    return second ? [{ ...lerp(first), id: 1 }, { ...lerp(second), id: 2 }] : [{ ...lerp(first), id: 1 }];
  };
  const steps = 8;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0, steps) });
  for (let step = 1; step <= steps; step++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(step, steps) });
  // Fingers rest before lifting: no fling follows (a tap during a fling only stops it, and clicks nothing).
  for (let rest = 0; rest < 3; rest++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(steps, steps) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

interface Point {
  x: number;
  y: number;
}
