import { type Accessor, createEffect, onCleanup } from 'solid-js';

/**
 * While an overlay (a sheet, the image viewer) is open, it owns a history entry with the same URL:
 * the back button or gesture (Android's too) closes the overlay instead of leaving the page. Closed
 * any other way, the overlay takes its entry back out.
 */
export function useBackCloses(open: Accessor<boolean>, close: () => void): void {
  let ownEntry = false;
  createEffect(() => {
    if (open() && !ownEntry) {
      history.pushState({ ...(history.state as object | null), deskOverlay: true }, '');
      ownEntry = true;
    } else if (!open() && ownEntry) {
      ownEntry = false;
      history.back();
    }
  });
  const onPopState = () => {
    if (!ownEntry) return;
    ownEntry = false;
    close();
  };
  window.addEventListener('popstate', onPopState);
  onCleanup(() => window.removeEventListener('popstate', onPopState));
}
