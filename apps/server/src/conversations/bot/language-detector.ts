import { BOT_LANGUAGES, type BotLanguage } from './languages.ts';

/** nlp.js's trigram language guesser (from @nlpjs/language-min, used inside its NLU manager). */
export interface TrigramGuesser {
  guess(text: string, allow: readonly string[], limit: number): { alpha2: string; score: number }[];
}

// Short everyday words that the trigram model and nlp.js's stopword lists miss, so "oi",
// "gracias" or "me cobraron dos veces" are not taken for another language.
const EVERYDAY_WORDS: Record<BotLanguage, string[]> = {
  pt: ['oi', 'olá', 'obrigado', 'obrigada', 'você', 'vocês', 'não', 'tchau', 'bom', 'boa', 'tudo', 'bem', 'quero', 'preciso', 'posso', 'duas', 'vezes', 'falar', 'alguém', 'atendente'],
  es: ['hola', 'gracias', 'usted', 'ustedes', 'sí', 'adiós', 'buenos', 'buenas', 'quiero', 'necesito', 'puedo', 'dos', 'veces', 'hablar', 'alguien', 'cuál', 'cómo', 'qué', 'ayuda'],
  en: ['hi', 'hello', 'hey', 'thanks', 'thank', 'yes', 'please', 'want', 'need', 'can', 'good', 'morning', 'talk', 'speak', 'someone', 'twice', 'charged', 'what', 'when', 'how'],
};

const LEXICON_WEIGHT = 2;
const MIN_MARGIN = 0.25;

export function tokensOf(text: string): string[] {
  return text.toLowerCase().normalize('NFC').match(/[\p{L}']+/gu) ?? [];
}

export interface DetectedLanguage {
  language: BotLanguage;
  /** False when the runner-up was close: callers then prefer what they already knew. */
  confident: boolean;
}

/**
 * Which of pt/es/en a text is written in: nlp.js's trigram guesser plus word evidence from
 * nlp.js's stopword lists, a few everyday words, and the vocabulary of the intents' phrases and
 * answers whose language was clear. Trigrams alone mistake short messages ("I want to speak to
 * a human" reads as Portuguese to them).
 */
export class LanguageDetector {
  private readonly words = new Map<string, Set<BotLanguage>>();

  constructor(
    private readonly guesser: TrigramGuesser,
    stopwords: Record<BotLanguage, Iterable<string>>,
  ) {
    for (const language of BOT_LANGUAGES) {
      for (const word of stopwords[language]) this.addWord(word, language);
      for (const word of EVERYDAY_WORDS[language]) this.addWord(word, language);
    }
  }

  /** Learns the words of a text known to be in `language`. */
  learn(text: string, language: BotLanguage): void {
    for (const token of tokensOf(text)) this.addWord(token, language);
  }

  detect(text: string): DetectedLanguage | null {
    const score = this.scores(text);
    if (!score) return null;
    const ranked = BOT_LANGUAGES.map((language) => ({ language, score: score[language] })).sort((a, b) => b.score - a.score);
    const [first, second] = ranked;
    if (!first || first.score <= 0) return null;
    return { language: first.language, confident: first.score - (second?.score ?? 0) >= MIN_MARGIN };
  }

  /** How much the text looks like each language (higher is likelier); null for a text without words. */
  scores(text: string): Record<BotLanguage, number> | null {
    const tokens = tokensOf(text);
    if (tokens.length === 0) return null;
    const score: Record<BotLanguage, number> = { pt: 0, es: 0, en: 0 };
    for (const guess of this.guesser.guess(text, BOT_LANGUAGES, BOT_LANGUAGES.length)) {
      if (guess.alpha2 in score) score[guess.alpha2 as BotLanguage] += guess.score;
    }
    for (const token of tokens) {
      const languages = this.words.get(token);
      if (!languages) continue;
      for (const language of languages) score[language] += LEXICON_WEIGHT / languages.size / tokens.length;
    }
    return score;
  }

  private addWord(word: string, language: BotLanguage): void {
    const key = word.toLowerCase().normalize('NFC');
    let set = this.words.get(key);
    if (!set) {
      set = new Set();
      this.words.set(key, set);
    }
    set.add(language);
  }
}
