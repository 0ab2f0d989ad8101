import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { es } from './es.ts';
import { chooseLanguage, interpolate } from './languages.ts';
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

describe('dictionaries', () => {
  it('have the same keys and no empty messages', () => {
    const keys = Object.keys(en).sort();
    for (const dict of [ptBR, es]) {
      expect(Object.keys(dict).sort()).toEqual(keys);
      for (const value of Object.values(dict)) expect(value.trim()).not.toBe('');
    }
  });
});
