import { createRoot, createSignal } from 'solid-js';
import { type Dictionary, en, type MessageKey } from './en.ts';
import { es } from './es.ts';
import { chooseLanguage, interpolate, isLanguage, type Language, textFor } from './languages.ts';
import { ptBR } from './pt-BR.ts';

export { LANGUAGE_NAMES, LANGUAGES, type Language } from './languages.ts';
export type { MessageKey } from './en.ts';

const STORAGE_KEY = 'desk.lang';
const DICTIONARIES: Record<Language, Dictionary> = { 'pt-BR': ptBR, es, en };

function storedLanguage(): Language | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

function initialLanguage(): Language {
  if (typeof navigator === 'undefined') return 'en';
  return storedLanguage() ?? chooseLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

const [language, setLanguageSignal] = createRoot(() => createSignal<Language>(initialLanguage()));

function applyToDocument(lang: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
applyToDocument(language());

/** The current language (reactive). */
export { language };

/** Switches the language and remembers it on this device. */
export function setLanguage(lang: Language): void {
  setLanguageSignal(lang);
  applyToDocument(lang);
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode or storage full: the choice lasts for this visit only
  }
}

/**
 * Translates a key in the current language (reactive: call it inside JSX or an effect). A plural
 * message takes its form from `params.count`.
 */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const lang = language();
  return interpolate(textFor(DICTIONARIES[lang][key] ?? en[key], lang, params?.count), params);
}
