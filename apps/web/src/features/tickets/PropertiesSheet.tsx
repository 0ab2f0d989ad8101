import { createEffect, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { useBackCloses } from '../../shell/back-closes.ts';

/**
 * A bottom sheet on the native <dialog> (modal: focus stays inside, the page behind is inert, screen
 * readers announce it by its title). It closes with its button, Esc, a tap on the backdrop, and the
 * back button or gesture: opening it adds a history entry (same URL) that "back" consumes.
 */
export function PropertiesSheet(props: { open: boolean; title: string; onClose: () => void; children: JSX.Element }) {
  let ref: HTMLDialogElement | undefined;
  useBackCloses(() => props.open, () => props.onClose());
  createEffect(() => {
    if (!ref) return;
    if (props.open && !ref.open) ref.showModal();
    else if (!props.open && ref.open) ref.close();
  });
  // A tap on the backdrop (outside the sheet's box) lands on the dialog element itself; Esc is its keyboard twin.
  onMount(() => ref?.addEventListener('click', (event) => event.target === ref && props.onClose()));
  onCleanup(() => ref?.open && ref.close());
  return (
    <dialog
      ref={ref}
      class="sheet"
      aria-labelledby="sheet-title"
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <Show when={props.open}>
        <div class="sheet-body">
          <header class="sheet-header">
            <span class="sheet-handle" aria-hidden="true" />
            <h2 id="sheet-title">{props.title}</h2>
            <button type="button" class="button ghost icon-button" aria-label={t('common.close')} onClick={() => props.onClose()}>
              <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path d="M6 6l12 12M18 6L6 18" />
              </svg>
            </button>
          </header>
          {props.children}
        </div>
      </Show>
    </dialog>
  );
}
