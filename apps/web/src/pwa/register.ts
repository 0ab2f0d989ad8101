import { createRoot, createSignal } from 'solid-js';
import type { Workbox } from 'workbox-window';

const [updateWaiting, setUpdateWaiting] = createRoot(() => createSignal(false));
let workbox: Workbox | undefined;

/** True when a new service worker is installed and waits to take over (reactive). */
export { updateWaiting };

/** Registers /sw.js (production builds only) and watches for new versions. */
export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const { Workbox } = await import('workbox-window');
  workbox = new Workbox('/sw.js');
  workbox.addEventListener('waiting', () => setUpdateWaiting(true));
  await workbox.register();
  // Look for a new version now and then, and whenever the app comes back to the foreground.
  const check = () => void workbox?.update().catch(() => undefined);
  setInterval(check, 60 * 60 * 1000);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
}

/** Lets the waiting worker take over, then reloads into the new version. */
export function applyUpdate(): void {
  if (!workbox) return;
  workbox.addEventListener('controlling', () => window.location.reload());
  workbox.messageSkipWaiting();
}

export function dismissUpdate(): void {
  setUpdateWaiting(false);
}
