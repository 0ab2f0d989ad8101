import { describe, expect, it } from 'vitest';
import { languageOf, languagesOf } from './intent-languages.ts';

describe('intent languages', () => {
  it('recognises the demo phrases', () => {
    expect(languageOf('quero falar com um atendente')).toBe('pt');
    expect(languageOf('quiero hablar con un agente')).toBe('es');
    expect(languageOf('I want to talk to an agent')).toBe('en');
    expect(languageOf('¿a qué hora abren?')).toBe('es');
    expect(languageOf('fui cobrado duas vezes')).toBe('pt');
  });
  it('says nothing about words it does not know', () => {
    expect(languageOf('zorblax quantum')).toBeNull();
    expect(languageOf('')).toBeNull();
  });
  it('lists each language once, in the bot order', () => {
    expect(languagesOf(['hello', 'hola', 'oi', 'hi there', 'blorp'])).toEqual(['pt', 'es', 'en']);
    expect(languagesOf(['I need a human'])).toEqual(['en']);
  });
});
