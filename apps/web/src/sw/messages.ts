/**
 * Messages from the service worker to its pages (shared by sw/ and the page; no DOM or worker types).
 * `open`: a notification was tapped; the page shows `url` (same origin) in place, without a reload.
 */
export const OPEN_URL_MESSAGE = 'desk:open-url';

export interface OpenUrlMessage {
  type: typeof OPEN_URL_MESSAGE;
  url: string;
}

export function isOpenUrlMessage(data: unknown): data is OpenUrlMessage {
  const record = data as Partial<OpenUrlMessage> | null;
  return typeof record === 'object' && record !== null && record.type === OPEN_URL_MESSAGE && typeof record.url === 'string';
}
