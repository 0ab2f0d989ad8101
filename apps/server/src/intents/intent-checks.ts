import { type Intent, type IntentLanguage, type IntentWarning, type IntentWarnings, MIN_PHRASES_PER_LANGUAGE } from '@desk/core';
import { confusedIntents } from '../conversations/bot/cross-validation.ts';
import { BOT_LANGUAGES } from '../conversations/bot/languages.ts';
import type { Nlu } from '../conversations/bot/nlu.ts';

/** Intents with an answer in a language but fewer than MIN_PHRASES_PER_LANGUAGE phrases in it. */
export function fewPhrases(intents: readonly Intent[], languageOf: (text: string) => IntentLanguage | null): IntentWarning[] {
  const warnings: IntentWarning[] = [];
  for (const intent of intents) {
    const answered = new Set(intent.answers.map(languageOf));
    const phrases = intent.phrases.map(languageOf);
    for (const language of BOT_LANGUAGES) {
      const count = phrases.filter((l) => l === language).length;
      if (answered.has(language) && count < MIN_PHRASES_PER_LANGUAGE) {
        warnings.push({ kind: 'fewPhrases', intentId: intent.id, language, phrases: count, minimum: MIN_PHRASES_PER_LANGUAGE });
      }
    }
  }
  return warnings;
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The Intents page's warnings: intents with too few phrases in a language they answer in, and
 * pairs of intents the bot confuses, found by cross-validation over the training phrases (see
 * `confusedIntents`). Computed in the background after the bot trained on the latest intents,
 * from the first time anyone asks for them on (a server whose Intents page nobody opens spends
 * no CPU on it); a change of intents cancels a check that is running and starts the next one.
 */
export class IntentChecks {
  private latest: readonly Intent[] = [];
  private generation = 0;
  private checked = -1;
  private running: { generation: number; done: Promise<void> } | null = null;
  private warnings: IntentWarning[] = [];
  private watched = false;

  constructor(
    private readonly nlu: Nlu,
    private readonly options: { folds?: number } = {},
  ) {}

  /** The intents changed (the bot is retraining on them): their check is due. */
  changed(intents: readonly Intent[]): void {
    this.latest = intents;
    this.generation += 1;
    if (this.watched) this.start();
  }

  /** The latest check's warnings; `checking` (with the previous check's warnings) while the current intents' check runs. */
  current(): IntentWarnings {
    this.watched = true;
    if (this.checked !== this.generation) this.start();
    return { state: this.checked === this.generation ? 'ready' : 'checking', warnings: this.warnings };
  }

  /** Resolves with the warnings of the current intents once they are checked (tests). */
  async settled(): Promise<IntentWarnings> {
    for (;;) {
      const result = this.current();
      if (result.state === 'ready') return result;
      await this.running?.done;
    }
  }

  private start(): void {
    if (this.running?.generation === this.generation) return;
    const generation = this.generation;
    const done = this.check(generation, this.latest).catch((err: unknown) => console.error('[desk] checking the intents failed', err));
    this.running = { generation, done };
  }

  private async check(generation: number, intents: readonly Intent[]): Promise<void> {
    const stale = () => generation !== this.generation;
    // After the live bot's training (it reads the phrases' languages, and goes first for the CPU).
    await this.nlu.whenIdle();
    if (stale()) return;
    const few = fewPhrases(intents, (text) => this.nlu.languageOf(text));
    // Counting phrases is cheap: show those warnings at once, and the pairs when the cross-validation ends.
    this.warnings = [...few, ...this.warnings.filter((warning) => warning.kind !== 'fewPhrases')];
    const pairs = await confusedIntents(intents, { folds: this.options.folds, pause, cancelled: stale });
    if (!pairs || stale()) return;
    this.warnings = [...few, ...pairs.map(({ intentIds, misread, phrases }): IntentWarning => ({ kind: 'confused', intentIds, misread, phrases }))];
    this.checked = generation;
  }
}
