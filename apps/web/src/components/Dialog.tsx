import { createEffect, type JSX, onCleanup, Show } from 'solid-js';
import { t } from '../i18n/index.ts';

/**
 * A modal dialog on the native <dialog> element: focus is kept inside, Esc closes it, and the
 * page behind is inert. The content is rendered only while open.
 */
export function Dialog(props: { open: boolean; title: string; onClose: () => void; children: JSX.Element; wide?: boolean }) {
  let ref: HTMLDialogElement | undefined;
  const titleId = `dialog-title-${Math.random().toString(36).slice(2, 9)}`;
  createEffect(() => {
    if (!ref) return;
    if (props.open && !ref.open) ref.showModal();
    if (!props.open && ref.open) ref.close();
  });
  onCleanup(() => ref?.open && ref.close());
  return (
    <dialog
      ref={ref}
      class="dialog"
      classList={{ wide: props.wide === true }}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <Show when={props.open}>
        <header class="dialog-header">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" class="button ghost icon-button" onClick={() => props.onClose()} aria-label={t('common.close')}>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <path d="M6 6l12 12M18 6L6 18" />
            </svg>
          </button>
        </header>
        {props.children}
      </Show>
    </dialog>
  );
}

/** "Are you sure?" with the consequences spelled out. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  busy?: boolean;
  error?: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      <p>{props.message}</p>
      <Show when={props.error}>
        <p class="error" role="alert">
          {props.error}
        </p>
      </Show>
      <div class="form-actions">
        <button type="button" class="button" onClick={() => props.onClose()}>
          {t('common.cancel')}
        </button>
        <button type="button" class="button danger" disabled={props.busy} aria-busy={props.busy} onClick={() => props.onConfirm()}>
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
