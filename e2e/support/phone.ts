import type { BrowserContext } from '@playwright/test';

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
