import type { Intent } from '@desk/core';
import { Nlu } from './nlu.ts';

/** Two intents and how many of their phrases cross-validation read as the other one. */
export interface ConfusedPair {
  intentIds: [string, string];
  /** Phrases of either intent whose best reading was the other intent. */
  misread: number;
  /** The two intents' phrases in all. */
  phrases: number;
}

export interface CrossValidationOptions {
  /** How many folds the phrases are split into (each phrase is read by a bot trained on the others). */
  folds?: number;
  /** Awaited between reads, so a long check leaves room for the live bot. */
  pause?: () => Promise<void>;
  /** Checked between folds and reads: a newer check makes this one stop. */
  cancelled?: () => boolean;
}

const DEFAULT_FOLDS = 5;
/**
 * A pair is worth a warning when at least this many of its phrases, and this share of them,
 * were read as the other intent: one stray phrase in a large pair is noise, not confusion.
 */
const MIN_MISREAD = 2;
const MIN_MISREAD_SHARE = 0.15;
const READS_PER_PAUSE = 25;

/**
 * k-fold cross-validation of the bot over the intents' own training phrases: phrase i of each
 * intent belongs to fold i mod k; for each fold a bot (the same ensemble the live one uses) is
 * trained on the other folds and reads the fold's phrases. Pairs of intents whose phrases it
 * reads as each other are returned, worst first. Resolves to null when cancelled.
 */
export async function confusedIntents(intents: readonly Intent[], options: CrossValidationOptions = {}): Promise<ConfusedPair[] | null> {
  const folds = options.folds ?? DEFAULT_FOLDS;
  const pause = options.pause ?? (async () => {});
  const cancelled = options.cancelled ?? (() => false);
  const misreads = new Map<string, number>();
  let reads = 0;
  for (let fold = 0; fold < folds; fold += 1) {
    const held = intents.map((intent) => intent.phrases.filter((_, i) => i % folds === fold));
    if (held.every((phrases) => phrases.length === 0)) continue;
    const training = intents.map((intent) => ({ ...intent, phrases: intent.phrases.filter((_, i) => i % folds !== fold) }));
    const bot = new Nlu();
    await bot.train(training);
    if (cancelled()) return null;
    for (const [index, intent] of intents.entries()) {
      for (const phrase of held[index] ?? []) {
        const best = (await bot.read(phrase)).ranking[0];
        if (best && best.intent.id !== intent.id) {
          const key = pairKey(intent.id, best.intent.id);
          misreads.set(key, (misreads.get(key) ?? 0) + 1);
        }
        if (++reads % READS_PER_PAUSE === 0) {
          await pause();
          if (cancelled()) return null;
        }
      }
    }
  }
  const phraseCount = new Map(intents.map((intent) => [intent.id, intent.phrases.length]));
  const pairs: ConfusedPair[] = [];
  for (const [key, misread] of misreads) {
    const [a, b] = key.split('\n') as [string, string];
    const phrases = (phraseCount.get(a) ?? 0) + (phraseCount.get(b) ?? 0);
    if (misread >= MIN_MISREAD && misread >= MIN_MISREAD_SHARE * phrases) pairs.push({ intentIds: [a, b], misread, phrases });
  }
  return pairs.sort((x, y) => y.misread / y.phrases - x.misread / x.phrases);
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\n${b}` : `${b}\n${a}`;
}
