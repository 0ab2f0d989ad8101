import { Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { applyUpdate, dismissUpdate, updateWaiting } from './register.ts';

/** "A new version is available — Reload", shown when a new service worker waits. */
export function UpdatePrompt() {
  return (
    <div class="toast-region" role="status" aria-live="polite">
      <Show when={updateWaiting()}>
        <div class="toast">
          <span>{t('update.available')}</span>
          <button type="button" class="button primary" onClick={applyUpdate}>
            {t('update.reload')}
          </button>
          <button type="button" class="button ghost" onClick={dismissUpdate}>
            {t('update.later')}
          </button>
        </div>
      </Show>
    </div>
  );
}
