import type { Container } from '@nlpjs/core';
import { BOT_LANGUAGES } from './languages.ts';

/** The parts of nlp.js's per-language normaliser, tokenizer, stemmer and stopword list used here. */
interface Normalizer {
  normalize(text: string): string;
}
interface Tokenizer {
  /** Splits normalised text, as nlp.js's pipeline does after its own normalise step (without the tokenizer's cache). */
  innerTokenize(text: string): string[];
}
interface Stemmer {
  stem(tokens: string[]): string[];
}
interface Stopwords {
  dictionary?: Record<string, unknown>;
}

/**
 * A message must carry more than this much evidence for the intent the classifier picked
 * (see `IntentEvidence`): more than half of one training phrase. A lone "bom" (half of "bom
 * dia") or "I need pizza" (half of "I need a human") is not enough; "hours" (half of "opening
 * hours" and half of "business hours"), "can I get a refund" ("refund" is the specific half
 * of "I want a refund") or a sentence sharing a word with each of two phrases is.
 */
export const MIN_EVIDENCE = 0.5;

/** A message's content stems, in the order of `BOT_LANGUAGES`. */
export type MessageStems = readonly (readonly string[])[];

const CACHE_SIZE = 500;

/** Room for the rounding of sums of fractions such as 1/3 + 1/6. */
const EPSILON = 1e-9;

export function isEnoughEvidence(evidence: number): boolean {
  return evidence > MIN_EVIDENCE + EPSILON;
}

interface LanguageIndex {
  normalizer: Normalizer;
  tokenizer: Tokenizer;
  stemmer: Stemmer;
  /** Stopwords of all the bot's languages, normalised like the text. */
  stopwords: Set<string>;
  /** Stem → intent id → the stem's share of each of the intent's phrases that have it, summed. */
  weights: Map<string, Map<string, number>>;
}

/**
 * How much known evidence a message carries for an intent: the out-of-domain guard that the
 * classifier lacks. nlp.js's network spreads all its probability over the intents it knows,
 * so "my cat ate my homework" read as a billing problem with confidence 1, "my" being the only
 * word it recognised.
 *
 * Texts are normalised, tokenised and stemmed with nlp.js's own tools for each language, and
 * stopwords (of pt, es and en: every phrase is trained in all three) are left out; a phrase or
 * message made only of stopwords ("no", "não") keeps them as its content.
 *
 * The evidence is how many of the intent's training phrases the message's words make up: a
 * phrase with content stems a, b, c gives each its share of the phrase, so "talk to a person"
 * and "transfer me to a real person" give "person" 1/2 + 1/3. The shares are weighted by each
 * stem's specificity to the intent (the fraction of the phrases having it that are the
 * intent's): "want", in "I want to talk to an agent" and "I want to dispute a charge", is a
 * smaller part of either phrase than "agent" or "dispute". The message's evidence is the best
 * over the three languages' stemmings, as the classifier also reads in each.
 */
export class IntentEvidence {
  private readonly languages: LanguageIndex[] = [];
  private readonly cache = new Map<string, MessageStems>();

  constructor(container: Container, intents: readonly { id: string; phrases: readonly string[] }[]) {
    const stopwordLists = BOT_LANGUAGES.map((language) => Object.keys((container.get(`stopwords-${language}`) as Stopwords | undefined)?.dictionary ?? {}));
    for (const language of BOT_LANGUAGES) {
      const normalizer = container.get(`normalizer-${language}`) as Normalizer;
      const index: LanguageIndex = {
        normalizer,
        tokenizer: container.get(`tokenizer-${language}`) as Tokenizer,
        stemmer: container.get(`stemmer-${language}`) as Stemmer,
        stopwords: new Set(stopwordLists.flat().map((word) => normalizer.normalize(word))),
        weights: new Map(),
      };
      index.weights = weightsOf(intents.flatMap((intent) => intent.phrases.map((phrase) => ({ intent: intent.id, stems: contentStems(index, phrase) }))));
      this.languages.push(index);
    }
  }

  /** The content stems of a message in each language's stemming, to weigh against intents. */
  read(text: string): MessageStems {
    const cached = this.cache.get(text);
    if (cached) return cached;
    const stems = this.languages.map((index) => contentStems(index, text));
    // A small cache: short messages ("hi", "oi", "hello") come again and again.
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(text, stems);
    return stems;
  }

  /** Whether any of the message's words is in any intent's phrases: if not, no reading of it can be accepted. */
  knows(stems: MessageStems): boolean {
    return this.languages.some((index, i) => stems[i]?.some((stem) => index.weights.has(stem)));
  }

  /** The evidence the message carries for the intent `intentId` (0 when none of its words are known for it). */
  for(stems: MessageStems, intentId: string): number {
    let best = 0;
    for (const [i, index] of this.languages.entries()) {
      let evidence = 0;
      for (const stem of stems[i] ?? []) evidence += index.weights.get(stem)?.get(intentId) ?? 0;
      best = Math.max(best, evidence);
    }
    return best;
  }
}

function weightsOf(phrases: readonly { intent: string; stems: readonly string[] }[]): Map<string, Map<string, number>> {
  // How many phrases of each intent have each stem.
  const counts = new Map<string, Map<string, number>>();
  for (const { intent, stems } of phrases) {
    for (const stem of stems) increment(counts, stem, intent, 1);
  }
  const specificity = (stem: string, intent: string): number => {
    const byIntent = counts.get(stem);
    let total = 0;
    for (const n of byIntent?.values() ?? []) total += n;
    return total === 0 ? 0 : (byIntent?.get(intent) ?? 0) / total;
  };
  const weights = new Map<string, Map<string, number>>();
  for (const { intent, stems } of phrases) {
    let size = 0;
    for (const stem of stems) size += specificity(stem, intent);
    for (const stem of stems) increment(weights, stem, intent, specificity(stem, intent) / size);
  }
  return weights;
}

function increment(map: Map<string, Map<string, number>>, stem: string, intent: string, by: number): void {
  let byIntent = map.get(stem);
  if (!byIntent) {
    byIntent = new Map();
    map.set(stem, byIntent);
  }
  byIntent.set(intent, (byIntent.get(intent) ?? 0) + by);
}

/** The distinct stems of a text's words that are not stopwords (of all its words if all are). */
function contentStems(index: LanguageIndex, text: string): string[] {
  const tokens = index.tokenizer.innerTokenize(index.normalizer.normalize(text)).filter((token) => token !== '');
  const content = tokens.filter((token) => !index.stopwords.has(token));
  return [...new Set(index.stemmer.stem(content.length > 0 ? content : tokens))];
}
