import type { Token } from './text-normaliser.ts';
import { collapseRepeats, fold, tokenise } from './text-normaliser.ts';

/** Reduces a folded word to its stem in one language (nlp.js's stemmers). */
export type Stem = (word: string) => string;

/** A text's language when it is clear, else null. */
export type LanguageOf = (text: string) => string | null;

export interface MatcherIntent {
  id: string;
  phrases: readonly string[];
}

/** How well a message matches one intent: its closest training phrase, 0..1. */
export interface IntentMatch {
  intent: string;
  similarity: number;
  /** Index, among all the matcher's phrases, of the closest one. */
  phrase: number;
}

export interface MatcherReading {
  /** Every intent sharing a known feature with the message, best first. */
  matches: IntentMatch[];
  /** The share of the message's content words the bot knows (1 when all are, or when it has none). */
  coverage: number;
}

/** A function word weighs this much of a content word: sharing only "qual", "cuál" or "what is" is no match. */
const FUNCTION_WORD_WEIGHT = 0.12;
/** A word's stems (one per language) together weigh this much of the word itself. */
const STEM_WEIGHT = 0.6;
/**
 * Each meaning a word has in the synonym groups weighs this much: "asesor" meets "atendente"
 * there. It outweighs the word's own features, since a training phrase's exact words are a
 * few of the many a user may pick.
 */
const SYNONYM_WEIGHT = 4;
/** Its character 3- and 4-grams together weigh this much: typos and inflections still share most of them. */
const CHAR_GRAMS_WEIGHT = 1.1;
/** How hard unknown words pull the similarity down: some (a sentence about something else), never to zero. */
const COVERAGE_EXPONENT = 0.5;
const MIN_SYNONYM_STEM = 5;
const TOKEN_CACHE_SIZE = 20_000;
const PHRASES_PER_PAUSE = 250;
/** A feature in more phrases than this share of them (and than the minimum) finds no candidates by itself. */
const COMMON_FEATURE_SHARE = 0.01;
const MIN_COMMON_FEATURE = 60;
const ENOUGH_CANDIDATES = 200;
const MAX_CANDIDATES = 1000;

type Features = Map<string, number>;
interface SparseVector {
  ids: Int32Array;
  weights: Float64Array;
}

function dotProduct(a: SparseVector, b: SparseVector): number {
  let dot = 0;
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i] as number;
    const y = b.ids[j] as number;
    if (x === y) {
      dot += (a.weights[i] as number) * (b.weights[j] as number);
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return dot;
}

/**
 * The second classifier of the bot's ensemble, written for what nlp.js's network lacks: it
 * knows when a message is about none of the intents, tolerates typos and spelling, and ignores
 * words it has never seen (names, order numbers) instead of being thrown by them.
 *
 * Each text becomes a TF-IDF vector of its words, their stems in pt/es/en, and their character
 * 3- and 4-grams; function words barely count. A message is compared (cosine) with every
 * training phrase over the features the bot knows, through an inverted index; an intent's
 * similarity is that of its closest phrase, lowered by the share of the message's content
 * words that are unknown. Training is one pass over the phrases (no iterations).
 */
export class PhraseMatcher {
  private readonly phraseIntent: string[] = [];
  private readonly phraseNorm: number[] = [];
  /** Each phrase's weighted features as ids sorted ascending, with their weights: a dot product is a merge. */
  private readonly phraseVectors: SparseVector[] = [];
  private readonly featureIds = new Map<string, number>();
  /** Intent → the words, stems and meanings of its phrases. */
  private readonly intentVocabulary = new Map<string, Set<string>>();
  /** Feature → the phrases that have it. */
  private readonly postings = new Map<string, number[]>();
  private readonly idf = new Map<string, number>();
  private readonly tokenCache = new Map<string, Features>();
  /** Word or stem → the synonym groups it belongs to. */
  private readonly meanings = new Map<string, Set<string>>();
  /** Language → the words that lend no meaning in a text of that language. */
  private readonly falseFriends = new Map<string, Set<string>>();

  /**
   * Indexes the intents' phrases. `pause` is awaited every few hundred phrases, so a large
   * workspace is indexed without holding the event loop (the previous model keeps answering).
   */
  static async build(
    intents: readonly MatcherIntent[],
    options: {
      stemmers: readonly Stem[];
      functionWords: ReadonlySet<string>;
      synonymGroups?: Readonly<Record<string, readonly string[]>>;
      /** Language → words of the groups that, in a text of that language, mean something else. */
      falseFriends?: Readonly<Record<string, readonly string[]>>;
      languageOf?: LanguageOf;
      pause?: () => Promise<void>;
    },
  ): Promise<PhraseMatcher> {
    const matcher = new PhraseMatcher(options.stemmers, options.functionWords, options.synonymGroups ?? {}, options.falseFriends ?? {});
    const pause = options.pause ?? (async () => {});
    const languageOf = options.languageOf ?? (() => null);
    const raw: Features[] = [];
    for (const intent of intents) {
      for (const phrase of intent.phrases) {
        matcher.phraseIntent.push(intent.id);
        raw.push(matcher.featuresOf(tokenise(phrase), languageOf(phrase)));
        if (raw.length % PHRASES_PER_PAUSE === 0) await pause();
      }
    }
    const df = new Map<string, number>();
    for (const features of raw) for (const key of features.keys()) df.set(key, (df.get(key) ?? 0) + 1);
    for (const [key, count] of df) matcher.idf.set(key, Math.log(1 + raw.length / count));
    for (const [phrase, features] of raw.entries()) {
      const weighted = matcher.weigh(features);
      let norm = 0;
      for (const weight of weighted.values()) norm += weight * weight;
      matcher.phraseNorm.push(Math.sqrt(norm) || 1);
      matcher.phraseVectors.push(matcher.vectorOf(weighted));
      const intent = matcher.phraseIntent[phrase] as string;
      const vocabulary = matcher.intentVocabulary.get(intent) ?? new Set<string>();
      matcher.intentVocabulary.set(intent, vocabulary);
      for (const key of weighted.keys()) {
        if (!key.startsWith('c:')) vocabulary.add(key);
        let list = matcher.postings.get(key);
        if (!list) {
          list = [];
          matcher.postings.set(key, list);
        }
        list.push(phrase);
      }
      if (phrase % PHRASES_PER_PAUSE === 0) await pause();
    }
    return matcher;
  }

  private constructor(
    private readonly stemmers: readonly Stem[],
    private readonly functionWords: ReadonlySet<string>,
    synonymGroups: Readonly<Record<string, readonly string[]>>,
    falseFriends: Readonly<Record<string, readonly string[]>>,
  ) {
    for (const [group, words] of Object.entries(synonymGroups)) {
      for (const word of words.map((entry) => collapseRepeats(fold(entry)))) {
        // Through stems too ("cobraron" → "cobr"), but only long ones: short stems collide
        // across languages (es "hola" and en "hole" both give "hol").
        for (const form of [word, ...this.stemsOf(word).filter((stem) => stem.length >= MIN_SYNONYM_STEM)]) {
          const groups = this.meanings.get(form) ?? new Set<string>();
          groups.add(group);
          this.meanings.set(form, groups);
        }
      }
    }
    for (const [language, words] of Object.entries(falseFriends)) this.falseFriends.set(language, new Set(words.map((word) => collapseRepeats(fold(word)))));
  }

  get phraseCount(): number {
    return this.phraseIntent.length;
  }

  read(text: string, language: string | null = null): MatcherReading {
    return this.readTokens(tokenise(text), language);
  }

  /** `language`: the message's, when clear (its false friends then lend no meaning), else null. */
  readTokens(tokens: readonly Token[], language: string | null = null): MatcherReading {
    const { features, coverage } = this.knownFeaturesOf(tokens, language);
    let norm = 0;
    for (const weight of features.values()) norm += weight * weight;
    norm = Math.sqrt(norm);
    if (norm === 0) return { matches: [], coverage };
    const best = new Map<string, IntentMatch>();
    const penalty = coverage ** COVERAGE_EXPONENT;
    const message = this.vectorOf(features);
    for (const phrase of this.candidatesFor(this.searchKeys(tokens, features, language))) {
      const dot = dotProduct(message, this.phraseVectors[phrase] as SparseVector);
      if (dot <= 0) continue;
      const intent = this.phraseIntent[phrase] as string;
      const similarity = Math.min(1, (dot / (norm * (this.phraseNorm[phrase] ?? 1))) * penalty);
      const current = best.get(intent);
      if (!current || similarity > current.similarity) best.set(intent, { intent, similarity, phrase });
    }
    return { matches: [...best.values()].sort((a, b) => b.similarity - a.similarity), coverage };
  }

  /**
   * The phrases worth scoring: those sharing a distinctive feature with the message (one in
   * few phrases). In a large workspace, words of every other phrase ("want", "quero") would
   * otherwise make each message scan thousands of phrases that only share those words, and
   * such phrases can't be its closest anyway. In a small one (the limits are above its size)
   * every phrase sharing anything is scored.
   */
  private candidatesFor(keys: readonly string[]): Set<number> {
    const limit = Math.max(MIN_COMMON_FEATURE, this.phraseIntent.length * COMMON_FEATURE_SHARE);
    const candidates = new Set<number>();
    // Rarest first. Common features and the grams of unknown words only add while there are
    // few candidates, and never more than a bounded number in all.
    const ranked = keys.map((key) => ({ key, list: this.postings.get(key) ?? [] })).sort((a, b) => a.list.length - b.list.length);
    for (const { key, list } of ranked) {
      if ((list.length > limit || key.startsWith('c:')) && candidates.size >= ENOUGH_CANDIDATES) continue;
      for (const phrase of list) {
        candidates.add(phrase);
        if (candidates.size >= MAX_CANDIDATES) return candidates;
      }
    }
    return candidates;
  }

  /**
   * The features that find candidate phrases: content words, stems and meanings, and the character
   * grams only of words the bot doesn't know as such (typos, inflections). Grams of known words
   * are shared with too many unrelated words to be worth searching by.
   */
  private searchKeys(tokens: readonly Token[], features: Features, language: string | null): string[] {
    const keys = [...features.keys()].filter((key) => !key.startsWith('c:') && !(key.startsWith('w:') && this.functionWords.has(key.slice(2))));
    for (const token of tokens) {
      if (this.idf.has(`w:${token.text}`) || this.functionWords.has(token.text)) continue;
      for (const key of this.tokenFeatures(token.text, false, language).keys()) if (key.startsWith('c:') && features.has(key)) keys.push(key);
    }
    return keys;
  }

  /** Whether a message word appears (as word, stem or meaning) in one of the intent's phrases: the words that intent accounts for. */
  explains(intent: string, token: Token, language: string | null = null): boolean {
    const vocabulary = this.intentVocabulary.get(intent);
    if (!vocabulary) return false;
    if (vocabulary.has(`w:${token.text}`)) return true;
    for (const key of this.tokenFeatures(token.text, false, language).keys()) if ((key.startsWith('s:') || key.startsWith('g:')) && vocabulary.has(key)) return true;
    return false;
  }

  /** The message's features the bot knows, weighted, and the share of its content words it knows. */
  private knownFeaturesOf(tokens: readonly Token[], language: string | null): { features: Features; coverage: number } {
    const all = this.featuresOf(tokens, language);
    const features: Features = new Map();
    for (const [key, weight] of all) {
      const idf = this.idf.get(key);
      if (idf !== undefined) features.set(key, weight * idf);
    }
    let content = 0;
    let known = 0;
    for (const token of tokens) {
      if (this.functionWords.has(token.text)) continue;
      const tokenFeatures = this.tokenFeatures(token.text, false, language);
      let total = 0;
      let knownWeight = 0;
      for (const [key, weight] of tokenFeatures) {
        total += weight;
        if (this.idf.has(key)) knownWeight += weight;
      }
      const knownMeaning = [...tokenFeatures.keys()].some((key) => key.startsWith('g:') && this.idf.has(key));
      const share = this.idf.has(`w:${token.text}`) || knownMeaning ? 1 : total === 0 ? 0 : knownWeight / total;
      // Names and numbers the bot can't know are left out, not held against the message.
      if (token.nameLike && share < 0.5) continue;
      content += 1;
      known += share;
    }
    return { features, coverage: content === 0 ? 1 : known / content };
  }

  private featuresOf(tokens: readonly Token[], language: string | null): Features {
    const onlyFunctionWords = tokens.every((token) => this.functionWords.has(token.text));
    const features: Features = new Map();
    for (const token of tokens) {
      if (token.nameLike && !this.idf.has(`w:${token.text}`) && this.idf.size > 0) continue;
      const asFunctionWord = !onlyFunctionWords && this.functionWords.has(token.text);
      for (const [key, weight] of this.tokenFeatures(token.text, asFunctionWord, language)) features.set(key, (features.get(key) ?? 0) + weight);
    }
    return features;
  }

  /** Features (all known to the index, or being added to it) as a sparse vector. */
  private vectorOf(features: Features): SparseVector {
    const entries: [number, number][] = [];
    for (const [key, weight] of features) {
      let id = this.featureIds.get(key);
      if (id === undefined) {
        id = this.featureIds.size;
        this.featureIds.set(key, id);
      }
      entries.push([id, weight]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    return { ids: Int32Array.from(entries, (e) => e[0]), weights: Float64Array.from(entries, (e) => e[1]) };
  }

  private weigh(features: Features): Features {
    const weighted: Features = new Map();
    for (const [key, weight] of features) weighted.set(key, weight * (this.idf.get(key) ?? 0));
    return weighted;
  }

  private tokenFeatures(word: string, functionWord: boolean, language: string | null): Features {
    const cacheKey = `${functionWord ? 'f' : 'c'}${language ?? '*'}:${word}`;
    const cached = this.tokenCache.get(cacheKey);
    if (cached) return cached;
    const features: Features = new Map();
    if (functionWord) {
      features.set(`w:${word}`, FUNCTION_WORD_WEIGHT);
    } else {
      features.set(`w:${word}`, 1);
      const stems = this.stemsOf(word);
      for (const stem of stems) features.set(`s:${stem}`, (features.get(`s:${stem}`) ?? 0) + STEM_WEIGHT / stems.length);
      const meanings = new Set<string>();
      const falseFriend = language !== null && this.falseFriends.get(language)?.has(word) === true;
      const forms = falseFriend ? [] : [word, ...stems.filter((stem) => stem.length >= MIN_SYNONYM_STEM)];
      for (const form of forms) for (const group of this.meanings.get(form) ?? []) meanings.add(group);
      for (const group of meanings) features.set(`g:${group}`, SYNONYM_WEIGHT);
      const grams = charGrams(word);
      for (const gram of grams) features.set(`c:${gram}`, (features.get(`c:${gram}`) ?? 0) + CHAR_GRAMS_WEIGHT / Math.sqrt(grams.length));
    }
    if (this.tokenCache.size >= TOKEN_CACHE_SIZE) this.tokenCache.clear();
    this.tokenCache.set(cacheKey, features);
    return features;
  }

  private stemsOf(word: string): string[] {
    return [...new Set(this.stemmers.map((stem) => stem(word)).filter((stem) => stem !== ''))];
  }
}

/** A word's character 3- and 4-grams, with its edges marked ("<oi>" for "oi"). */
export function charGrams(word: string): string[] {
  const marked = `<${word}>`;
  const grams: string[] = [];
  for (const size of [3, 4]) {
    for (let i = 0; i + size <= marked.length; i += 1) grams.push(marked.slice(i, i + size));
  }
  return grams.length > 0 ? grams : [marked];
}
