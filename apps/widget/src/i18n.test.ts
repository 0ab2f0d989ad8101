import { describe, expect, it } from 'vitest';
import { chooseLanguage, LANGS, STRINGS } from './i18n.ts';
import { newVisitorId, VisitorStore } from './visitor.ts';

describe('chooseLanguage', () => {
  it('follows the browser languages, mapping regional variants', () => {
    expect(chooseLanguage(null, ['pt-BR', 'en'])).toBe('pt-BR');
    expect(chooseLanguage(null, ['pt-PT'])).toBe('pt-BR');
    expect(chooseLanguage(null, ['es-AR', 'en'])).toBe('es');
    expect(chooseLanguage(null, ['en-GB'])).toBe('en');
  });

  it('skips languages it does not speak and defaults to English', () => {
    expect(chooseLanguage(null, ['fr-FR', 'es'])).toBe('es');
    expect(chooseLanguage(null, ['de'])).toBe('en');
    expect(chooseLanguage(undefined, [])).toBe('en');
  });

  it('lets data-lang override the browser, unless it names a language it does not speak', () => {
    expect(chooseLanguage('es', ['pt-BR'])).toBe('es');
    expect(chooseLanguage('pt_br', ['en'])).toBe('pt-BR');
    expect(chooseLanguage('fr', ['pt-BR'])).toBe('pt-BR');
  });
});

describe('strings', () => {
  it('are complete in every language', () => {
    const keys = Object.keys(STRINGS.en).sort();
    for (const lang of LANGS) {
      expect(Object.keys(STRINGS[lang]).sort()).toEqual(keys);
      for (const value of Object.values(STRINGS[lang])) expect(value.trim()).not.toBe('');
    }
  });
});

describe('visitor id', () => {
  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('is a v4 UUID even without crypto.randomUUID (http pages)', () => {
    expect(newVisitorId({ getRandomValues: (a) => crypto.getRandomValues(a) })).toMatch(UUID_V4);
  });

  it('is created once and kept in storage under desk.visitorId', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    const store = new VisitorStore(storage);
    expect(store.get()).toBeNull();
    const id = store.getOrCreate();
    expect(map.get('desk.visitorId')).toBe(id);
    expect(new VisitorStore(storage).get()).toBe(id);
  });

  it('lives in memory when storage throws', () => {
    const storage = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
    };
    const store = new VisitorStore(storage);
    const id = store.getOrCreate();
    expect(store.get()).toBe(id);
  });
});
