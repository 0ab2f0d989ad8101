import { useNavigate } from '@solidjs/router';
import { onCleanup } from 'solid-js';
import { isOpenUrlMessage } from '../sw/messages.ts';

/**
 * A tapped notification (sw/notification-click.ts) asks the open window to show its ticket: routed in
 * place, so the list, the local store and the sync stream stay as they are and the ticket shows at once.
 */
export function useOpenFromNotification(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const navigate = useNavigate();
  const onMessage = (event: MessageEvent) => {
    if (!isOpenUrlMessage(event.data)) return;
    const url = new URL(event.data.url, location.origin);
    if (url.origin !== location.origin) return;
    const path = url.pathname + url.search + url.hash;
    if (path !== location.pathname + location.search + location.hash) navigate(path);
  };
  navigator.serviceWorker.addEventListener('message', onMessage);
  onCleanup(() => navigator.serviceWorker.removeEventListener('message', onMessage));
}
