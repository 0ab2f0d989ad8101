/** Pure language helpers (no Solid, no DOM), unit-tested. */
export const LANGUAGES = ['pt-BR', 'es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's own name, for the switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = { 'pt-BR': 'Português (Brasil)', es: 'Español', en: 'English' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The first preferred language Desk speaks: pt* → pt-BR, es* → es; otherwise en. */
export function chooseLanguage(preferred: readonly string[] | undefined): Language {
  for (const tag of preferred ?? []) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (primary === 'pt') return 'pt-BR';
    if (primary === 'es') return 'es';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

/** Replaces `{name}` placeholders; unknown placeholders stay as they are. Params are plain text. */
export function interpolate(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * A message whose words follow a number ("1 ticket", "2 tickets"): one text per CLDR plural
 * category the language distinguishes. `other` is required; a category a message leaves out
 * (Spanish and Portuguese say "1 millón de mensajes" with `many`) falls back to it.
 */
export interface PluralMessage {
  readonly one?: string;
  readonly many?: string;
  readonly other: string;
}
export type Message = string | PluralMessage;

const pluralRules = new Map<Language, Intl.PluralRules>();

/** The text of `message` for `count` in `lang` (a plain string is the same for every count). */
export function textFor(message: Message, lang: Language, count: unknown): string {
  if (typeof message === 'string') return message;
  if (typeof count !== 'number') return message.other;
  let rules = pluralRules.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    pluralRules.set(lang, rules);
  }
  const category = rules.select(count);
  return (category === 'one' || category === 'many' ? message[category] : undefined) ?? message.other;
}
