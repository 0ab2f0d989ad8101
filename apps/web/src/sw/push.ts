/// <reference lib="webworker" />

/** What the server sends in a push message (JSON). Every field is optional. */
export interface PushPayload {
  title?: string;
  body?: string;
  /** Page to open on click, same origin (e.g. /tickets/42). */
  url?: string;
  /** Notifications with the same tag replace each other (e.g. one per ticket). */
  tag?: string;
}

export function parsePushPayload(text: string | undefined): PushPayload {
  if (!text) return {};
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data !== 'object' || data === null) return { body: text };
    const record = data as Record<string, unknown>;
    const str = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
    const payload: PushPayload = {};
    const title = str('title');
    const body = str('body');
    const url = str('url');
    const tag = str('tag');
    if (title !== undefined) payload.title = title;
    if (body !== undefined) payload.body = body;
    if (url !== undefined) payload.url = url;
    if (tag !== undefined) payload.tag = tag;
    return payload;
  } catch {
    return { body: text };
  }
}

/** Shows a notification for every push message. Later work may add sound hints, badges, actions. */
export function registerPush(sw: ServiceWorkerGlobalScope): void {
  sw.addEventListener('push', (event) => {
    const payload = parsePushPayload(event.data?.text());
    const options: NotificationOptions = {
      body: payload.body ?? '',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: payload.url ?? '/' },
    };
    if (payload.tag) options.tag = payload.tag;
    event.waitUntil(sw.registration.showNotification(payload.title ?? 'Desk', options));
  });
}
