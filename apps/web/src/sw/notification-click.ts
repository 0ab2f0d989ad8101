/// <reference lib="webworker" />
import { OPEN_URL_MESSAGE, type OpenUrlMessage } from './messages.ts';

/** Only same-origin pages may be opened from a notification. */
export function targetUrl(raw: unknown, origin: string): string {
  try {
    const url = new URL(typeof raw === 'string' ? raw : '/', origin);
    return url.origin === origin ? url.href : `${origin}/`;
  } catch {
    return `${origin}/`;
  }
}

/**
 * Shows `url` in a Desk window: an open one is reused (the one already there, else the focused one,
 * else any) and asked to route in place, without a reload; a new window only when none is open.
 */
export async function showInWindow(sw: ServiceWorkerGlobalScope, url: string): Promise<void> {
  const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const client = windows.find((c) => c.url === url) ?? windows.find((c) => c.focused) ?? windows[0];
  if (!client) {
    await sw.clients.openWindow(url);
    return;
  }
  // Focus needs the notification click's user activation; without it the window is still routed.
  await client.focus().catch(() => undefined);
  if (client.url === url) return;
  const message: OpenUrlMessage = { type: OPEN_URL_MESSAGE, url };
  client.postMessage(message);
}

/** Tapping a notification opens its page (a ticket) in the installed app, reusing an open window. */
export function registerNotificationClick(sw: ServiceWorkerGlobalScope): void {
  sw.addEventListener('notificationclick', (event) => {
    event.notification.close();
    const data = event.notification.data as { url?: unknown } | null;
    event.waitUntil(showInWindow(sw, targetUrl(data?.url, sw.location.origin)));
  });
}
