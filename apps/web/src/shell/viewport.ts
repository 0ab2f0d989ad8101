import { type Accessor, createRoot, createSignal } from 'solid-js';

/** Below this width the app uses its phone layout (matches the CSS breakpoints). */
export const PHONE_QUERY = '(max-width: 767px)';

/** True while the window is phone-sized (reactive). */
export const isPhone: Accessor<boolean> = createRoot(() => {
  if (typeof window === 'undefined' || !window.matchMedia) return () => false;
  const query = window.matchMedia(PHONE_QUERY);
  const [phone, setPhone] = createSignal(query.matches);
  query.addEventListener('change', () => setPhone(query.matches));
  return phone;
});

/**
 * Keeps `--vv-height` and `--vv-top` on <html> equal to the visual viewport: what is on screen once
 * an on-screen keyboard (or pinch zoom) took its share. Elements sized with them (the phone ticket
 * view) keep their bottom, and so the composer, above the keyboard. Started once, from main.tsx.
 */
export function trackVisualViewport(): void {
  const viewport = window.visualViewport;
  if (!viewport) return;
  const style = document.documentElement.style;
  let frame = 0;
  const apply = () => {
    frame = 0;
    style.setProperty('--vv-height', `${Math.round(viewport.height)}px`);
    style.setProperty('--vv-top', `${Math.round(viewport.offsetTop)}px`);
  };
  // Coalesced to one write per frame: resize and scroll fire many times while the keyboard slides in.
  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(apply);
  };
  viewport.addEventListener('resize', schedule);
  viewport.addEventListener('scroll', schedule);
  apply();
}
