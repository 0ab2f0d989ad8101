/**
 * Where Web Push subscriptions may point: the browsers' push services (Chrome/Edge/Opera via FCM,
 * Firefox's autopush, Safari's, Windows' WNS), over https. Anything else would make Desk send
 * requests wherever an agent says. `PUSH_SERVICE_ORIGINS` adds origins (the tests' stand-in).
 */
export const PUSH_SERVICE_HOSTS = ['fcm.googleapis.com', 'android.googleapis.com', 'push.services.mozilla.com', 'push.apple.com', 'notify.windows.com'] as const;

export function isKnownPushEndpoint(endpoint: string, extraOrigins: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (extraOrigins.includes(url.origin)) return true;
  if (url.protocol !== 'https:' || url.port !== '' || url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return PUSH_SERVICE_HOSTS.some((known) => host === known || host.endsWith(`.${known}`));
}
