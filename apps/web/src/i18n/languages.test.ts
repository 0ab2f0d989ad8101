import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { es } from './es.ts';
import { chooseLanguage, interpolate, textFor } from './languages.ts';
import { ptBR } from './pt-BR.ts';

describe('chooseLanguage', () => {
  it('maps any Portuguese to pt-BR and any Spanish to es', () => {
    expect(chooseLanguage(['pt-PT', 'en'])).toBe('pt-BR');
    expect(chooseLanguage(['pt'])).toBe('pt-BR');
    expect(chooseLanguage(['es-AR'])).toBe('es');
    expect(chooseLanguage(['ES_mx'])).toBe('es');
  });

  it('takes the first language Desk speaks, in order of preference', () => {
    expect(chooseLanguage(['fr-FR', 'es-ES', 'pt-BR'])).toBe('es');
    expect(chooseLanguage(['en-GB', 'pt-BR'])).toBe('en');
  });

  it('falls back to English', () => {
    expect(chooseLanguage(['de-DE', 'fr'])).toBe('en');
    expect(chooseLanguage([])).toBe('en');
    expect(chooseLanguage(undefined)).toBe('en');
  });
});

describe('interpolate', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(interpolate('Hi {name}, {n} new', { name: 'Ana', n: 3 })).toBe('Hi Ana, 3 new');
    expect(interpolate('Hi {who}', { name: 'Ana' })).toBe('Hi {who}');
    expect(interpolate('Plain')).toBe('Plain');
  });
});

describe('textFor', () => {
  const tickets = { one: '{count} ticket', other: '{count} tickets' };

  it('takes the singular for one and the plural otherwise, in each language', () => {
    for (const lang of ['en', 'pt-BR', 'es'] as const) {
      expect(textFor(tickets, lang, 1)).toBe('{count} ticket');
      expect(textFor(tickets, lang, 0)).toBe(lang === 'pt-BR' ? '{count} ticket' : '{count} tickets');
      expect(textFor(tickets, lang, 2)).toBe('{count} tickets');
    }
  });

  it('falls back to other for a category the message leaves out, or without a count', () => {
    expect(textFor(tickets, 'es', 1_000_000)).toBe('{count} tickets');
    expect(textFor(tickets, 'en', undefined)).toBe('{count} tickets');
    expect(textFor('plain', 'en', 1)).toBe('plain');
  });

  it('gives each dictionary a plural for counted messages', () => {
    for (const dict of [en, ptBR, es]) {
      expect(interpolate(textFor(dict['misses.dismissed'], 'en', 1), { count: 1 })).not.toMatch(/\b1 (messages|mensagens|mensajes)\b/);
    }
  });
});

describe('dictionaries', () => {
  it('have the same keys and no empty messages', () => {
    const keys = Object.keys(en).sort();
    for (const dict of [ptBR, es]) {
      expect(Object.keys(dict).sort()).toEqual(keys);
      for (const value of Object.values(dict)) {
        for (const text of typeof value === 'string' ? [value] : Object.values(value)) expect(text.trim()).not.toBe('');
      }
    }
  });
});
