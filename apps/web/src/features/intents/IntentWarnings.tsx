import { exhaustiveSwitchError, type Intent, type IntentWarning } from '@desk/core';
import { createMemo, For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { createIntentWarnings } from '../../server-data/intents.ts';

/**
 * The Intents page's warnings (computed by the server after the bot trained): intents with too
 * few phrases in a language they answer in, and pairs of intents the bot confuses. Asked again
 * whenever the intents on this device change.
 */
export function IntentWarningsPanel(props: { intents: readonly Intent[]; onOpen: (intentId: string) => void }) {
  const version = createMemo(() => props.intents.map((intent) => `${intent.id}@${intent.updatedAt}`).join(','));
  const query = createIntentWarnings(version);
  const names = createMemo(() => new Map(props.intents.map((intent) => [intent.id, intent.name])));
  // Warnings about intents this device doesn't know yet (sync catching up) wait until it does.
  const shown = createMemo(() => (query.data?.warnings ?? []).filter((warning) => intentIdsOf(warning).every((id) => names().has(id))));

  const open = (id: string) => (
    <button type="button" class="link-button" aria-label={t('intents.warningEdit', { name: names().get(id) ?? '' })} onClick={() => props.onOpen(id)}>
      {names().get(id)}
    </button>
  );

  return (
    <Show when={shown().length > 0 || query.data?.state === 'checking'}>
      <section class="card intent-warnings" aria-labelledby="intent-warnings-title">
        <h2 id="intent-warnings-title">{t('intents.warningsTitle')}</h2>
        <p class="hint" role="status">
          {query.data?.state === 'checking' ? t('intents.warningsChecking') : ''}
        </p>
        <Show when={shown().length > 0}>
          <ul class="warning-list">
            <For each={shown()}>
              {(warning) => (
                <li class="warning-item">
                  <span class="warning-text">{warningText(warning, (id) => names().get(id) ?? '')}</span>
                  <span class="warning-actions">
                    <For each={intentIdsOf(warning)}>{(id) => open(id)}</For>
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </Show>
  );
}

function intentIdsOf(warning: IntentWarning): string[] {
  switch (warning.kind) {
    case 'fewPhrases':
      return [warning.intentId];
    case 'confused':
      return [...warning.intentIds];
    default:
      return exhaustiveSwitchError(warning, 'intent warning');
  }
}

function warningText(warning: IntentWarning, nameOf: (id: string) => string): string {
  switch (warning.kind) {
    case 'fewPhrases':
      return t('intents.warningFewPhrases', {
        name: nameOf(warning.intentId),
        language: t(`intents.inLanguage.${warning.language}`),
        count: String(warning.phrases),
        minimum: String(warning.minimum),
      });
    case 'confused':
      return t('intents.warningConfused', {
        first: nameOf(warning.intentIds[0]),
        second: nameOf(warning.intentIds[1]),
        misread: String(warning.misread),
        phrases: String(warning.phrases),
      });
    default:
      return exhaustiveSwitchError(warning, 'intent warning');
  }
}
