/**
 * Which of the bot's languages an intent's phrases are written in, for the intents list. A light
 * guess from everyday words and letters (the server's NLU does the real classification); pure and
 * unit-tested.
 */
export const INTENT_LANGUAGES = ['pt', 'es', 'en'] as const;
export type IntentLanguage = (typeof INTENT_LANGUAGES)[number];

const WORDS: Record<IntentLanguage, ReadonlySet<string>> = {
  pt: new Set(
    ('não você vocês quero falar com um uma umas uns os do da dos das no na é oi olá obrigado obrigada bom dia boa tarde noite tudo bem ' +
      'minha meu fatura vezes preciso estou está horário atendente alguém pessoa cobrança cobrado fui abrem fecham qual quando ajuda ' +
      'problema errado errada humano posso pra para isso isto aqui também muito').split(' '),
  ),
  es: new Set(
    ('hola quiero hablar con el la los las un una unos unas es gracias buenos buenas días mi mis factura veces necesito estoy está ' +
      'horario agente alguien persona cobro cobraron abren cierran cuál cuándo ayuda problema mal humano puedo pásame por favor usted ustedes ' +
      'qué cómo y muy también aquí eso esto').split(' '),
  ),
  en: new Set(
    ('the a an i you to is are my me what when how hello hi hey want talk speak person need can please your open close time do does good ' +
      'morning afternoon evening was with on of it this that agent someone human help problem wrong charged twice bill invoice thanks thank').split(' '),
  ),
};

const LETTERS: Record<IntentLanguage, RegExp> = { pt: /[ãõç]/, es: /[ñ¿¡]/, en: /(?!)/ };

/** The language a single text most likely is, or null when nothing tells. */
export function languageOf(text: string): IntentLanguage | null {
  const lower = text.toLowerCase();
  const words = lower.match(/[\p{L}']+/gu) ?? [];
  const scores = INTENT_LANGUAGES.map((language) => {
    let score = LETTERS[language].test(lower) ? 2 : 0;
    for (const word of words) if (WORDS[language].has(word)) score += 1;
    return { language, score };
  }).sort((a, b) => b.score - a.score);
  const [first, second] = scores;
  if (!first || first.score === 0 || first.score === second?.score) return null;
  return first.language;
}

/** The languages found among the texts, in the bot's order. */
export function languagesOf(texts: readonly string[]): IntentLanguage[] {
  const found = new Set<IntentLanguage>();
  for (const text of texts) {
    const language = languageOf(text);
    if (language) found.add(language);
  }
  return INTENT_LANGUAGES.filter((language) => found.has(language));
}
