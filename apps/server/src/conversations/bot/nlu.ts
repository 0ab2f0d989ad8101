import type { Intent } from '@desk/core';
import { Worker } from 'node:worker_threads';
import type { Container } from '@nlpjs/core';
import { confidenceOf, ensembleScore } from './calibration.ts';
import { LanguageDetector, type TrigramGuesser } from './language-detector.ts';
import { createNetworkEngine } from './network-engine.mjs';
import { BOT_LANGUAGES, type BotLanguage, FALLBACK_ANSWERS } from './languages.ts';
import { PhraseMatcher, type Stem } from './phrase-matcher.ts';
import { FALSE_FRIENDS, SYNONYM_GROUPS } from './synonyms.ts';
import { canonical, fold, type Token, tokenise } from './text-normaliser.ts';

/** The slice of nlp.js's Nlp object Desk uses. */
interface NlpEngine {
  train(): Promise<unknown>;
  import(model: string): void;
  nluManager: {
    guesser: TrigramGuesser & { addExtraSentence(locale: string, sentence: string): void };
    add(locale: string, utterance: string, intent: string): void;
    process(locale: string, utterance: string): Promise<{ classifications?: { intent: string; score: number }[] }>;
  };
}

interface TrainedIntent {
  intent: Intent;
  /** Each answer with how strongly it reads as each language. */
  answers: { text: string; lean: Record<BotLanguage, number> }[];
}

/** How far `language` leads the other languages in `scores` (negative when another leads). */
function leadOf(scores: Record<BotLanguage, number>, language: BotLanguage): number {
  const others = BOT_LANGUAGES.filter((l) => l !== language).map((l) => scores[l]);
  return scores[language] - Math.max(...others);
}

interface Model {
  nlp: NlpEngine;
  /** Languages nlp.js has phrases in (a language without any has no network to ask). */
  nlpLanguages: BotLanguage[];
  detector: LanguageDetector;
  matcher: PhraseMatcher;
  intents: Map<string, TrainedIntent>;
  stats: ModelStats;
}

/** What the model in use was trained on, and how. */
export interface ModelStats {
  intents: number;
  phrases: number;
  /** Phrases (per language) nlp.js's network learnt from; see NETWORK_PHRASES. */
  networkDocuments: number;
  /** Whether the network trained in a worker thread (large workspaces). */
  networkInWorker: boolean;
}

/** One intent as the bot reads a message: its calibrated confidence, and the two classifiers' scores. */
export interface IntentScore {
  intent: Intent;
  confidence: number;
  similarity: number;
  network: number;
}

/** The bot's reading of one message: the intent (if confident enough) and what to answer. */
export interface BotReading {
  intent: Intent | null;
  confidence: number;
  language: BotLanguage;
  /** Whether the language came from the text itself rather than the conversation or the default. */
  languageDetected: boolean;
  /** The intent's answer in the user's language (else its first), the fallback answer, or null when the intent has none. */
  answer: string | null;
  /** The best intents, most confident first (at most three). */
  ranking: IntentScore[];
  /** When the two best intents are too close to pick one: both, for the bot to ask which the user means. */
  ask: IntentScore[] | null;
}

export interface NluOptions {
  /** Below this confidence the bot answers with the fallback (0..1). */
  threshold?: number;
  /** The language used when neither the text nor the conversation tells one. */
  defaultLanguage?: BotLanguage;
}

const RANKING_SIZE = 3;
/**
 * Beside small talk, a hand-off request needs less confidence (this share of the threshold):
 * the small talk already shows the user is writing to the business, and handing off a
 * greeting-plus-question wrongly costs an agent a glance, while not handing off strands the user.
 */
const REQUEST_BESIDE_SMALL_TALK = 0.75;
/**
 * The bot asks which of the two best intents the user means when the second is at least this
 * confident and within this margin of the first: answering either would be a coin toss.
 */
const ASK_FLOOR = 0.35;
const ASK_MARGIN = 0.25;

/** Function words nlp.js's stopword lists miss, in the forms people type them. */
const EXTRA_FUNCTION_WORDS = [
  'pra', 'pro', 'ta', 'to', 'tou', 'estou', 'esta', 'e', 'eh', 'sao', 'ser', 'tem', 'ter', 'voce', 'voces', 'vcs', 'aqui', 'ai', 'agora', 'isso',
  'es', 'son', 'estoy', 'estan', 'hay', 'yo', 'usted', 'ustedes', 'mis', 'tu', 'tus', 'le', 'les', 'aqui', 'eso', 'esto', 'ahora',
  'quanto', 'quanta', 'quantos', 'quantas', 'cuanto', 'cuanta', 'cuantos', 'cuantas', 'ate',
  'algum', 'alguma', 'alguns', 'algumas', 'algun', 'alguna', 'algunos', 'algunas', 'algo', 'some', 'any',
  'i', 'im', 'a', 'the', 'is', 'are', 'am', 'it', 'its', 'there', 'theres', 'whats', 'this', 'that', 'just', 'please', 'por', 'favor',
];

function stopwordsOf(container: Container, language: BotLanguage): string[] {
  const stopwords = container.get(`stopwords-${language}`) as { dictionary?: Record<string, unknown> } | undefined;
  return Object.keys(stopwords?.dictionary ?? {});
}

function stemmerOf(container: Container, language: BotLanguage): Stem {
  const stemmer = container.get(`stemmer-${language}`) as { stem(tokens: string[]): string[] };
  return (word) => stemmer.stem([word])[0] ?? word;
}

/** Lets other work (reading messages with the previous model) run between chunks of a long training. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

interface NetworkDocument {
  language: BotLanguage;
  utterance: string;
  intent: string;
}

/**
 * nlp.js's network learns in time proportional to intents × documents × epochs (200 intents ×
 * 12,000 phrases take about a second per epoch here). Its epochs are capped to this budget of
 * perceptron × document updates, so a large workspace still retrains in seconds; a small one
 * trains to convergence (nlp.js's own stopping rules end it after a few dozen epochs).
 */
const NETWORK_UPDATE_BUDGET = 6_000_000;
/**
 * The network learns from at most this many phrases per intent and language (the matcher from
 * all of them): its cost grows with intents × phrases, and past a dozen phrases an intent's
 * vocabulary is mostly known to it.
 */
const NETWORK_PHRASES = 10;
const MIN_EPOCHS = 3;
const MAX_EPOCHS = 20_000;
/** Above this many updates per epoch the network trains in a worker thread instead of in line. */
const WORKER_ABOVE = 10_000;

async function trainNetwork(documents: readonly NetworkDocument[], intentCount: number): Promise<{ nlp: NlpEngine; inWorker: boolean }> {
  const perEpoch = Math.max(1, intentCount * documents.length);
  const iterations = Math.max(MIN_EPOCHS, Math.min(MAX_EPOCHS, Math.floor(NETWORK_UPDATE_BUDGET / perEpoch)));
  const engine = await createNetworkEngine(iterations);
  const nlp = engine.nlp as NlpEngine;
  if (documents.length === 0) return { nlp, inWorker: false };
  if (perEpoch <= WORKER_ABOVE) {
    for (const { language, utterance, intent } of documents) nlp.nluManager.add(language, utterance, intent);
    await nlp.train();
    return { nlp, inWorker: false };
  }
  nlp.import(await trainInWorker(documents, iterations));
  // The language guesser learns from training sentences; the imported model doesn't carry them.
  for (const { language, utterance } of documents) nlp.nluManager.guesser.addExtraSentence(language, utterance);
  return { nlp, inWorker: true };
}

function trainInWorker(documents: readonly NetworkDocument[], iterations: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./network-trainer.mjs', import.meta.url));
    const finish = (err: Error | null, model?: string) => {
      void worker.terminate();
      if (err) reject(err);
      else resolve(model as string);
    };
    worker.once('message', (reply: { ok: true; model: string } | { ok: false; error: string }) =>
      reply.ok ? finish(null, reply.model) : finish(new Error(`training the network failed: ${reply.error}`)),
    );
    worker.once('error', (err) => finish(err));
    worker.postMessage({ documents, iterations });
  });
}

async function buildModel(intents: readonly Intent[]): Promise<Model> {
  const toolkit = await createNetworkEngine(MIN_EPOCHS);
  const { container } = toolkit;
  const stopwords = { pt: stopwordsOf(container, 'pt'), es: stopwordsOf(container, 'es'), en: stopwordsOf(container, 'en') };
  const detector = new LanguageDetector((toolkit.nlp as NlpEngine).nluManager.guesser, stopwords);
  // Answers are read before the detector learns the intents' words: a word shared by two
  // languages ("Atendemos") would otherwise count only for the first one it was learnt in.
  const trained = new Map<string, TrainedIntent>();
  for (const intent of intents) {
    const answers = intent.answers.map((text) => ({ text, lean: detector.scores(text) ?? { pt: 0, es: 0, en: 0 } }));
    trained.set(intent.id, { intent, answers });
  }
  let read = 0;
  const documents: NetworkDocument[] = [];
  const nlpLanguages = new Set<BotLanguage>();
  for (const intent of intents) {
    for (const answer of intent.answers) {
      const detected = detector.detect(answer);
      if (detected?.confident) detector.learn(answer, detected.language);
    }
    const taught: Record<BotLanguage, number> = { pt: 0, es: 0, en: 0 };
    for (const phrase of intent.phrases) {
      // Each phrase teaches nlp.js's network (and the language detector) of its own language;
      // a phrase whose language is unclear ("ok", "no") teaches all three networks.
      const detected = detector.detect(phrase);
      if (detected?.confident && taught[detected.language] < NETWORK_PHRASES) detector.learn(phrase, detected.language);
      const languages = (detected?.confident ? [detected.language] : BOT_LANGUAGES).filter((language) => taught[language] < NETWORK_PHRASES);
      for (const language of languages) {
        documents.push({ language, utterance: canonical(phrase), intent: intent.id });
        nlpLanguages.add(language);
        taught[language] += 1;
      }
      if (++read % 250 === 0) await pause();
    }
  }
  const networkTraining = trainNetwork(documents, intents.length);
  const functionWords = new Set([...Object.values(stopwords).flat(), ...EXTRA_FUNCTION_WORDS].map((word) => fold(word)));
  const matcher = await PhraseMatcher.build(intents, {
    stemmers: BOT_LANGUAGES.map((language) => stemmerOf(container, language)),
    functionWords,
    synonymGroups: SYNONYM_GROUPS,
    falseFriends: FALSE_FRIENDS,
    languageOf: (phrase) => {
      const detected = detector.detect(phrase);
      return detected?.confident ? detected.language : null;
    },
    pause,
  });
  const { nlp, inWorker } = await networkTraining;
  return {
    nlp,
    nlpLanguages: [...nlpLanguages],
    detector,
    matcher,
    intents: documents.length > 0 ? trained : new Map(),
    stats: { intents: intents.length, phrases: matcher.phraseCount, networkDocuments: documents.length, networkInWorker: inWorker },
  };
}

/**
 * The answer that reads most like `language`, compared with the intent's other answers (they
 * are usually the same sentence in several languages). With one answer, that one.
 */
function pickAnswer(answers: TrainedIntent['answers'], language: BotLanguage): { text: string } | undefined {
  let best: TrainedIntent['answers'][number] | undefined;
  for (const answer of answers) {
    if (!best || leadOf(answer.lean, language) > leadOf(best.lean, language)) best = answer;
  }
  return best;
}

/** Whether matching the intent hands the user to a person (so it beats small talk in the same message). */
function handsOff(intent: Intent): boolean {
  return intent.desk.enabled;
}

/**
 * Intent classification: an ensemble of nlp.js's neural network and Desk's phrase matcher
 * (see `PhraseMatcher`), over text folded to how people write (see `tokenise`). Trains on
 * start and again whenever intents change; until a new model is ready, messages are read
 * with the previous one, so a retrain never blocks.
 */
export class Nlu {
  readonly threshold: number;
  private readonly defaultLanguage: BotLanguage;
  private model: Model | null = null;
  private generation = 0;
  private pending: Promise<void> | null = null;

  constructor(options: NluOptions = {}) {
    this.threshold = options.threshold ?? 0.6;
    this.defaultLanguage = options.defaultLanguage ?? 'en';
  }

  /** Starts training on `intents`; resolves when that model (or a newer one) is in use. */
  train(intents: readonly Intent[]): Promise<void> {
    const generation = ++this.generation;
    const snapshot = intents.map((intent) => structuredClone(intent));
    const run = buildModel(snapshot).then(
      (model) => {
        // A slower, older training must not replace a newer model.
        if (generation === this.generation || this.model === null) this.model = model;
      },
      (err: unknown) => console.error('[desk] training the bot failed; keeping the previous model', err),
    );
    this.pending = run.finally(() => {
      if (generation === this.generation) this.pending = null;
    });
    return run;
  }

  /** Resolves once no training is running (tests and the demo seed wait on it). */
  async whenIdle(): Promise<void> {
    while (this.pending) await this.pending;
  }

  get ready(): boolean {
    return this.model !== null;
  }

  get stats(): ModelStats | null {
    return this.model?.stats ?? null;
  }

  /** The language a text is clearly written in, as the bot in use reads it, or null. */
  languageOf(text: string): BotLanguage | null {
    const detected = this.model?.detector.detect(text);
    return detected?.confident ? detected.language : null;
  }

  /** The intent's answer that reads most like `language` (for a choice the user pressed). */
  answerFor(intentId: string, language: BotLanguage): string | null {
    const trained = this.model?.intents.get(intentId);
    return trained ? (pickAnswer(trained.answers, language)?.text ?? null) : null;
  }

  /** Reads a message. `hint` is the conversation's language, used when the text doesn't tell. */
  async read(text: string, hint: BotLanguage | null = null): Promise<BotReading> {
    if (!this.model) await this.whenIdle();
    const model = this.model;
    const detected = model?.detector.detect(text) ?? null;
    const language = detected && (detected.confident || !hint) ? detected.language : (hint ?? this.defaultLanguage);
    const languageDetected = detected !== null && (detected.confident || !hint);
    const fallback: BotReading = { intent: null, confidence: 0, language, languageDetected, answer: FALLBACK_ANSWERS[language], ranking: [], ask: null };
    if (!model || model.intents.size === 0 || text.trim() === '') return fallback;

    const tokens = tokenise(text);
    // nlp.js's network of the message's language; of all three when the language is unclear.
    const networks = detected?.confident ? model.nlpLanguages.filter((l) => l === detected.language) : model.nlpLanguages;
    // A word of another language means something else in the message's, when that is clear (pt "time" is a team).
    const meaningLanguage = detected?.confident ? detected.language : null;
    const ranking = await this.rank(model, tokens, networks, meaningLanguage);
    let best = ranking[0];
    // Small talk and a request for a person in one message ("oi, quero falar com um
    // atendente"): read what the small talk's phrases don't account for; a hand-off there wins.
    for (const smallTalk of ranking.slice(0, 2).filter((candidate) => !handsOff(candidate.intent.intent))) {
      if (best && handsOff(best.intent.intent) && best.confidence >= this.threshold) break;
      const rest = tokens.filter((token) => !model.matcher.explains(smallTalk.intent.intent.id, token, meaningLanguage));
      if (rest.length === 0 || rest.length === tokens.length) continue;
      const request = (await this.rank(model, rest, networks, meaningLanguage))[0];
      if (request && handsOff(request.intent.intent) && request.confidence >= this.threshold * REQUEST_BESIDE_SMALL_TALK) best = request;
    }
    const top = ranking.slice(0, RANKING_SIZE).map(({ intent, confidence, similarity, network }) => ({ intent: intent.intent, confidence, similarity, network }));
    // Two close readings (and not small talk beside a request, which the rule above settles): ask.
    const [first, second] = top;
    const ask = best === ranking[0] && first && second && second.confidence >= ASK_FLOOR && first.confidence - second.confidence < ASK_MARGIN ? [first, second] : null;
    if (!best || best.confidence < this.threshold) return { ...fallback, confidence: best?.confidence ?? 0, ranking: top, ask };
    const answer = pickAnswer(best.intent.answers, language);
    return { intent: best.intent.intent, confidence: best.confidence, language, languageDetected, answer: answer?.text ?? null, ranking: top, ask };
  }

  /** The intents the message matches, most confident first; the network's best score over `networks` counts. */
  private async rank(model: Model, tokens: readonly Token[], networks: readonly BotLanguage[], language: BotLanguage | null) {
    const { matches } = model.matcher.readTokens(tokens, language);
    if (matches.length === 0) return [];
    const network = new Map<string, number>();
    const utterance = tokens.map((token) => token.text).join(' ');
    for (const language of networks) {
      const { classifications = [] } = await model.nlp.nluManager.process(language, utterance);
      for (const { intent, score } of classifications) network.set(intent, Math.max(network.get(intent) ?? 0, score));
    }
    const scored = [];
    for (const match of matches) {
      const trained = model.intents.get(match.intent);
      if (!trained) continue;
      const networkScore = network.get(match.intent) ?? 0;
      const confidence = confidenceOf(ensembleScore(match.similarity, networkScore));
      scored.push({ intent: trained, confidence, similarity: match.similarity, network: networkScore, phrase: match.phrase });
    }
    return scored.sort((a, b) => b.confidence - a.confidence);
  }
}
