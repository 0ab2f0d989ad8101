/// <reference lib="webworker" />

/** Only same-origin pages may be opened from a notification. */
export function targetUrl(raw: unknown, origin: string): string {
  try {
    const url = new URL(typeof raw === 'string' ? raw : '/', origin);
    return url.origin === origin ? url.href : `${origin}/`;
  } catch {
    return `${origin}/`;
  }
}

/** Clicking a notification focuses an open Desk window (navigating it to the url) or opens one. */
export function registerNotificationClick(sw: ServiceWorkerGlobalScope): void {
  sw.addEventListener('notificationclick', (event) => {
    event.notification.close();
    const data = event.notification.data as { url?: unknown } | null;
    const url = targetUrl(data?.url, sw.location.origin);
    event.waitUntil(
      (async () => {
        const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
        const same = windows.find((client) => client.url === url) ?? windows[0];
        if (same) {
          const focused = await same.focus();
          if (focused.url !== url) await focused.navigate(url).catch(() => undefined);
          return;
        }
        await sw.clients.openWindow(url);
      })(),
    );
  });
}
