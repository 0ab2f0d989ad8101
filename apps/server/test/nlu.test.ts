import type { Intent } from '@desk/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Nlu } from '../src/conversations/bot/nlu.ts';
import { must, sampleIntents } from './support/desk-fixture.ts';

const intents: Intent[] = sampleIntents().map((input, i) => ({ ...input, id: `intent-${i}`, createdAt: '', updatedAt: '' }));
const nameOf = (intent: Intent | null) => intent?.name ?? null;

let nlu: Nlu;
beforeAll(async () => {
  nlu = new Nlu({ threshold: 0.6 });
  await nlu.train(intents);
});

// None of these is a training phrase: the classifier must generalise from the ones it saw.
const paraphrases: [string, string, 'pt' | 'es' | 'en', RegExp][] = [
  ['posso conversar com um humano?', 'Talk to a person', 'pt', /^Certo!/],
  ['a que horas vocês fecham?', 'Opening hours', 'pt', /^Atendemos de segunda/],
  ['cobraram em dobro no meu cartão', 'Billing problem', 'pt', /^Sinto muito/],
  ['me gustaría hablar con alguien', 'Talk to a person', 'es', /^¡Claro!/],
  ['¿cuándo están abiertos?', 'Opening hours', 'es', /^Atendemos de lunes/],
  ['me han cobrado el doble', 'Billing problem', 'es', /^Lamento/],
  ['can I talk to a real person?', 'Talk to a person', 'en', /^Sure!/],
  ['when do you close?', 'Opening hours', 'en', /^We are open/],
  ['I was charged two times', 'Billing problem', 'en', /^Sorry about the billing/],
];

describe('nlu', () => {
  it.each(paraphrases)('"%s" → %s, answered in %s', async (text, intent, language, answer) => {
    const reading = await nlu.read(text);
    expect(nameOf(reading.intent)).toBe(intent);
    expect(reading.language).toBe(language);
    expect(reading.confidence).toBeGreaterThanOrEqual(0.6);
    expect(reading.answer).toMatch(answer);
  });

  it('falls back below the threshold, in the language of the text', async () => {
    const reading = await nlu.read('qwerty asdfgh zxcvb');
    expect(reading.intent).toBeNull();
    const strict = new Nlu({ threshold: 1.01 });
    await strict.train(intents);
    const es = await strict.read('hola, buenos días');
    expect(es.intent).toBeNull();
    expect(es.answer).toMatch(/^Lo siento/);
  });

  it('uses the conversation language when the text gives no clue', async () => {
    const reading = await nlu.read('xyzzy', 'es');
    expect(reading.language).toBe('es');
    expect(reading.answer).toMatch(/^Lo siento/);
  });

  it('keeps answering with the previous model while retraining, then uses the new one', async () => {
    const local = new Nlu();
    await local.train(intents);
    const extra: Intent = {
      ...must(intents[0]),
      id: 'weather',
      name: 'Weather',
      phrases: ['how is the weather', 'is it raining today', 'will it be sunny tomorrow'],
      answers: ['I only know about our shop, not the weather.'],
    };
    const retraining = local.train([...intents, extra]);
    const during = await local.read('can I talk to a real person?');
    expect(nameOf(during.intent)).toBe('Talk to a person');
    await retraining;
    expect(nameOf((await local.read('is it going to rain today?')).intent)).toBe('Weather');
  });

  it('answers with the fallback when there are no intents', async () => {
    const empty = new Nlu();
    await empty.train([]);
    expect((await empty.read('hello')).answer).toMatch(/understand/);
  });
});
