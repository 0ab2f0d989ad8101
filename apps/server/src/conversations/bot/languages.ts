/** The languages the bot understands and answers in. */
export const BOT_LANGUAGES = ['pt', 'es', 'en'] as const;
export type BotLanguage = (typeof BOT_LANGUAGES)[number];

export function isBotLanguage(value: string | null | undefined): value is BotLanguage {
  return value === 'pt' || value === 'es' || value === 'en';
}

/** The fallback answers, in each language, when no intent is confident enough. */
export const FALLBACK_ANSWERS: Record<BotLanguage, string> = {
  pt: 'Desculpe, não entendi. Pode dizer de outra forma? Se preferir, peça para falar com um atendente.',
  es: 'Lo siento, no entendí. ¿Puedes decirlo de otra forma? Si prefieres, pide hablar con una persona.',
  en: "Sorry, I didn't understand. Could you say it another way? You can also ask to talk to a person.",
};
