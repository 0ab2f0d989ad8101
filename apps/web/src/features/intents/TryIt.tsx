import { createSignal, For, Show } from 'solid-js';
import { requestErrorText } from '../../components/online.ts';
import { t } from '../../i18n/index.ts';
import { createIntentTry } from '../../server-data/intents.ts';

/** "Try it": which intent the bot, as trained now, reads in a sentence, and how sure it is. */
export function TryIt() {
  const [text, setText] = createSignal('');
  const attempt = createIntentTry();
  const busy = () => attempt.isPending;
  const result = () => attempt.data ?? null;
  const error = () => (attempt.error ? requestErrorText(attempt.error) : '');

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const sentence = text().trim();
    if (!sentence || busy()) return;
    attempt.mutate(sentence);
  };

  const percent = (value: number) => `${Math.round(value * 100)}%`;

  return (
    <section class="card try-it" aria-labelledby="try-it-title">
      <h2 id="try-it-title">{t('intents.tryTitle')}</h2>
      <form class="inline-row" onSubmit={onSubmit}>
        <label for="try-it-text" class="visually-hidden">
          {t('intents.trySentence')}
        </label>
        <input
          id="try-it-text"
          type="text"
          autocomplete="off"
          placeholder={t('intents.tryPlaceholder')}
          value={text()}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <button type="submit" class="button" disabled={busy() || !text().trim()} aria-busy={busy()}>
          {t('intents.tryButton')}
        </button>
      </form>
      <div role="status" class="try-result">
        <Show when={error()}>
          <p class="error">{error()}</p>
        </Show>
        <Show when={result()}>
          {(r) => (
            <>
            <p class="try-decision" data-decision={r().decision}>
              {r().decision === 'ask'
                ? t('intents.tryAsk', { first: r().ranking[0]?.intent.name ?? '', second: r().ranking[1]?.intent.name ?? '' })
                : r().decision === 'answer'
                  ? t('intents.tryWouldAnswer')
                  : t('intents.tryWouldFallBack')}
            </p>
            <Show when={r().ranking.length > 0}>
              <ol class="try-ranking" aria-label={t('intents.tryRanking')}>
                <For each={r().ranking}>
                  {(entry) => (
                    <li>
                      <span>{entry.intent.name}</span>
                      <meter min={0} max={1} value={entry.confidence} aria-label={t('intents.tryConfidenceOf', { name: entry.intent.name })} />
                      <span class="try-percent">{percent(entry.confidence)}</span>
                    </li>
                  )}
                </For>
              </ol>
            </Show>
            <Show
              when={r().intent}
              fallback={<p>{t('intents.tryNoMatch', { confidence: percent(r().confidence) })}</p>}
            >
              {(intent) => (
                <p>
                  {t('intents.tryMatch', { name: intent().name, confidence: percent(r().confidence) })}
                  <Show when={r().answer}>
                    {(answer) => (
                      <>
                        <br />
                        <span class="hint">{t('intents.tryAnswer', { answer: answer() })}</span>
                      </>
                    )}
                  </Show>
                </p>
              )}
            </Show>
            </>
          )}
        </Show>
      </div>
    </section>
  );
}
