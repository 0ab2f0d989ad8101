import type { Intent } from '@desk/core';
import { type Container, containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangEs } from '@nlpjs/lang-es';
import { LangPt } from '@nlpjs/lang-pt';
import { Nlp } from '@nlpjs/nlp';
import { IntentEvidence, isEnoughEvidence, type MessageStems } from './evidence.ts';
import { LanguageDetector, type TrigramGuesser } from './language-detector.ts';
import { BOT_LANGUAGES, type BotLanguage, FALLBACK_ANSWERS } from './languages.ts';

/** The slice of nlp.js's Nlp object Desk uses. */
interface NlpEngine {
  settings: Record<string, unknown>;
  addLanguage(locales: string[]): void;
  train(): Promise<unknown>;
  nluManager: {
    settings: Record<string, unknown>;
    guesser: TrigramGuesser;
    add(locale: string, utterance: string, intent: string): void;
    process(locale: string, utterance: string): Promise<{ intent: string; score: number }>;
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
  detector: LanguageDetector;
  evidence: IntentEvidence;
  intents: Map<string, TrainedIntent>;
}

/** The classifier's reading in one language, with the evidence the text carries for its intent. */
interface Candidate {
  intent: string;
  score: number;
  evidence: number;
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
}

export interface NluOptions {
  /** Below this confidence the bot answers with the fallback (0..1). */
  threshold?: number;
  /** The language used when neither the text nor the conversation tells one. */
  defaultLanguage?: BotLanguage;
}

async function createEngine(): Promise<{ nlp: NlpEngine; container: Container }> {
  const container = await containerBootstrap();
  container.use(Nlp);
  container.use(LangPt);
  container.use(LangEs);
  container.use(LangEn);
  const nlp = container.get('nlp') as NlpEngine;
  Object.assign(nlp.settings, { log: false, autoSave: false, autoLoad: false, threshold: 0, calculateSentiment: false });
  // Without this the neural network prints every training epoch.
  nlp.nluManager.settings.domain = { nluByDomain: { default: { settings: { log: false } } } };
  nlp.addLanguage([...BOT_LANGUAGES]);
  return { nlp, container };
}

function stopwordsOf(container: Container, language: BotLanguage): string[] {
  const stopwords = container.get(`stopwords-${language}`) as { dictionary?: Record<string, unknown> } | undefined;
  return Object.keys(stopwords?.dictionary ?? {});
}

async function buildModel(intents: readonly Intent[]): Promise<Model> {
  const { nlp, container } = await createEngine();
  const detector = new LanguageDetector(nlp.nluManager.guesser, {
    pt: stopwordsOf(container, 'pt'),
    es: stopwordsOf(container, 'es'),
    en: stopwordsOf(container, 'en'),
  });
  // Answers are read before the detector learns the intents' words: a word shared by two
  // languages ("Atendemos") would otherwise count only for the first one it was learnt in.
  const trained = new Map<string, TrainedIntent>();
  for (const intent of intents) {
    const answers = intent.answers.map((text) => ({ text, lean: detector.scores(text) ?? { pt: 0, es: 0, en: 0 } }));
    trained.set(intent.id, { intent, answers });
  }
  let documents = 0;
  for (const intent of intents) {
    for (const text of [...intent.answers, ...intent.phrases]) {
      const detected = detector.detect(text);
      if (detected?.confident) detector.learn(text, detected.language);
    }
    for (const phrase of intent.phrases) {
      // Every phrase is trained in all three languages: a phrase whose language is misread
      // still teaches its intent, and intents carry the same meaning in every language.
      for (const language of BOT_LANGUAGES) nlp.nluManager.add(language, phrase, intent.id);
      documents += 1;
    }
  }
  if (documents > 0) await nlp.train();
  const evidence = new IntentEvidence(container, intents);
  return { nlp, detector, evidence, intents: documents > 0 ? trained : new Map() };
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

/**
 * Intent classification with nlp.js. Trains on start and again whenever intents change; until
 * a new model is ready, messages are read with the previous one, so a retrain never blocks.
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

  /** Reads a message. `hint` is the conversation's language, used when the text doesn't tell. */
  async read(text: string, hint: BotLanguage | null = null): Promise<BotReading> {
    if (!this.model) await this.whenIdle();
    const model = this.model;
    const detected = model?.detector.detect(text) ?? null;
    const language = detected && (detected.confident || !hint) ? detected.language : (hint ?? this.defaultLanguage);
    const languageDetected = detected !== null && (detected.confident || !hint);
    const fallback: BotReading = { intent: null, confidence: 0, language, languageDetected, answer: FALLBACK_ANSWERS[language] };
    if (!model || model.intents.size === 0 || text.trim() === '') return fallback;

    const stems = model.evidence.read(text);
    let best = await this.classify(model, language, text, stems);
    // When none of its words is known, no reading of the message can be accepted.
    if (!this.accepts(best) && model.evidence.knows(stems)) {
      // A misread language stems the words wrongly: give the other languages a chance.
      for (const other of BOT_LANGUAGES) {
        if (other === language) continue;
        const candidate = await this.classify(model, other, text, stems);
        if (this.prefers(candidate, best)) best = candidate;
      }
    }
    const trained = best.intent === 'None' ? undefined : model.intents.get(best.intent);
    if (!trained || !this.accepts(best)) {
      // Without enough evidence the classifier's score says nothing: it can't exceed the evidence.
      const confidence = best.intent === 'None' ? 0 : isEnoughEvidence(best.evidence) ? best.score : Math.min(best.score, best.evidence);
      return { ...fallback, confidence };
    }
    const answer = pickAnswer(trained.answers, language);
    return { intent: trained.intent, confidence: best.score, language, languageDetected, answer: answer?.text ?? null };
  }

  private async classify(model: Model, language: BotLanguage, text: string, stems: MessageStems): Promise<Candidate> {
    const { intent, score } = await model.nlp.nluManager.process(language, text);
    return { intent, score, evidence: intent === 'None' ? 0 : model.evidence.for(stems, intent) };
  }

  /**
   * Whether a reading is good enough to answer with its intent: the classifier is confident
   * and the message carries enough known evidence for that intent (out-of-domain messages
   * don't, however confident the classifier is).
   */
  private accepts(candidate: Candidate): boolean {
    return candidate.intent !== 'None' && candidate.score >= this.threshold && isEnoughEvidence(candidate.evidence);
  }

  /** Whether the reading in another language beats the best so far: an accepted one first, else the higher score. */
  private prefers(candidate: Candidate, best: Candidate): boolean {
    if (candidate.intent === 'None') return false;
    if (best.intent === 'None') return true;
    const accepted = this.accepts(candidate);
    return accepted !== this.accepts(best) ? accepted : candidate.score > best.score;
  }
}
