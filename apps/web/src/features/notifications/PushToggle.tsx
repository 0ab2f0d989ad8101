import { createResource, createSignal, Show } from 'solid-js';
import { language, t } from '../../i18n/index.ts';
import { currentPushState, disablePush, enablePush, type PushState } from './web-push.ts';

/** The Settings switch for Web Push on this device. */
export function PushToggle() {
  const [state, { mutate }] = createResource<PushState>(currentPushState);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const toggle = async (box: HTMLInputElement) => {
    setBusy(true);
    setError(null);
    try {
      mutate(box.checked ? await enablePush(language()) : await disablePush());
    } catch (err) {
      setError(t('push.failed', { reason: err instanceof Error ? err.message : String(err) }));
      mutate(await currentPushState().catch(() => 'disabled' as const));
    } finally {
      setBusy(false);
      // The state may not have changed (a refused subscription): the box must still show the truth.
      box.checked = state() === 'enabled';
    }
  };

  return (
    <div class="field">
      <label class="check">
        <input
          type="checkbox"
          aria-describedby="push-help"
          checked={state() === 'enabled'}
          disabled={busy() || state() === 'unsupported' || state() === 'denied' || state.loading}
          onChange={(e) => void toggle(e.currentTarget)}
        />{' '}
        {t('push.label')}
      </label>
      <p id="push-help" class="hint">{t('push.help')}</p>
      <Show when={state() === 'unsupported'}>
        <p class="hint">{t('push.unsupported')}</p>
      </Show>
      <Show when={state() === 'denied'}>
        <p class="hint">{t('push.denied')}</p>
      </Show>
      <Show when={error()}>{(message) => <p class="error" role="alert">{message()}</p>}</Show>
    </div>
  );
}
