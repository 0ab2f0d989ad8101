import { createEffect, type JSX, Show } from 'solid-js';
import { t } from '../i18n/index.ts';

/** The page heading (h1); also sets the document title. */
export function PageHeader(props: { title: string; children?: JSX.Element }) {
  createEffect(() => {
    document.title = `${props.title} · ${t('app.name')}`;
  });
  return (
    <header class="page-header">
      <h1>{props.title}</h1>
      <Show when={props.children}>
        <div class="page-actions">{props.children}</div>
      </Show>
    </header>
  );
}

export function EmptyState(props: { message: string; children?: JSX.Element }) {
  return (
    <div class="empty-state">
      <svg viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">
        <path d="M4 13h4l2 3h4l2-3h4M4 13l2-8h12l2 8v6H4z" />
      </svg>
      <p>{props.message}</p>
      {props.children}
    </div>
  );
}
