import { describe, expect, it } from 'vitest';
import { canonical, tokenise } from '../src/conversations/bot/text-normaliser.ts';

describe('text normaliser', () => {
  it('folds case, accents and repeated letters the way people stretch words in chat', () => {
    expect(canonical('Oiiii')).toBe('oi');
    expect(canonical('HOLAAA')).toBe('hola');
    expect(canonical('heyyy')).toBe('hey');
    expect(canonical('Horário de atenção')).toBe('horario de atencao');
    // Both sides are folded alike, so doubled letters of real words still meet.
    expect(canonical('good')).toBe(canonical('goood'));
  });

  it('spells out chat abbreviations of pt, es and en', () => {
    expect(canonical('vc pode me ajudar pq tb preciso')).toBe('voce pode me ajudar porque tambem preciso');
    expect(canonical('xq no me ayudan, porfa')).toBe('porque no me ayudan por favor');
    expect(canonical('can u help me pls')).toBe('can you help me please');
    expect(canonical('e aí, tudo certo?')).toBe('eai tudo certo');
    expect(canonical('you charged me 2 times')).toBe('you charged me twice');
  });

  it('reads questions about time as the interrogative they are', () => {
    expect(canonical('What time do you open?')).toBe('when do you open');
    expect(canonical('¿A qué hora abren?')).toBe('cuando abren');
    expect(canonical('que horas vcs fecham')).toBe('quando voces fecham');
    expect(canonical('how many hours are in a year')).toBe('how are in a year');
    // Until what time = when something closes.
    expect(canonical('até que horas vocês atendem?')).toBe('ate fecha voces atendem');
  });

  it('marks order numbers and names inside a sentence, not the first word', () => {
    const tokens = tokenise('Meu pedido 48213 da loja Iguatemi não chegou');
    expect(tokens.filter((t) => t.nameLike).map((t) => t.text)).toEqual(['48213', 'iguatemi']);
    expect(tokens[0]).toEqual({ text: 'meu', nameLike: false });
    expect(tokenise('order #A-20931').map((t) => t.text)).toEqual(['order', 'a', '20931']);
  });
});
