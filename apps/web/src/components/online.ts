import { createRoot, createSignal } from 'solid-js';
import { isApiError, isNetworkError } from '../api/client.ts';
import { t } from '../i18n/index.ts';

/** Whether the browser believes it is online (reactive, one listener for the whole app). */
export const isOnline = createRoot(() => {
  const [online, setOnline] = createSignal(typeof navigator === 'undefined' ? true : navigator.onLine);
  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => setOnline(true));
    window.addEventListener('offline', () => setOnline(false));
  }
  return online;
});

/** A failed request in words: no connection, not allowed, or what the server said. */
export function requestErrorText(error: unknown): string {
  if (isNetworkError(error)) return t('errors.network');
  if (isApiError(error) && error.status === 403) return t('errors.forbidden');
  if (isApiError(error)) return error.message;
  return t('errors.unexpected');
}
