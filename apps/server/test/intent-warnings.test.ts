import type { Intent, IntentInput, IntentWarnings } from '@desk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confusedIntents } from '../src/conversations/bot/cross-validation.ts';
import { demoIntents } from '../src/demo/demo-intents.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

const demo: Intent[] = demoIntents(null).map((input, i) => ({ ...input, id: `demo-${i}`, createdAt: '', updatedAt: '' }));
const billing = demo.find((intent) => intent.name === 'Billing problem') as Intent;

// An intent written with the same words as "Billing problem": its users would get either answer.
const refunds: IntentInput = {
  name: 'Refunds',
  phrases: [
    'fui cobrado duas vezes, quero reembolso', 'cobrança errada no cartão, quero meu dinheiro de volta', 'quero contestar a fatura e ter reembolso',
    'me cobraron dos veces, quiero un reembolso', 'cargo incorrecto en mi tarjeta, devuélvanme el dinero', 'quiero reclamar la factura y un reembolso',
    'I was charged twice, I want a refund', 'wrong charge on my card, give me my money back', 'I want to dispute my invoice and get a refund',
  ],
  answers: ['Vamos analisar o reembolso.', 'Revisaremos el reembolso.', "We'll look into the refund."],
  desk: billing.desk,
};

describe('cross-validation over the training phrases', () => {
  it('finds two intents whose phrases the bot reads as each other', async () => {
    const pairs = await confusedIntents([...demo, { ...refunds, id: 'refunds', createdAt: '', updatedAt: '' }]);
    expect(pairs).toHaveLength(1);
    expect([...(pairs?.[0]?.intentIds ?? [])].sort()).toEqual([billing.id, 'refunds'].sort());
    expect(pairs?.[0]?.misread).toBeGreaterThanOrEqual(2);
  });

  it('finds nothing in intents that say different things', async () => {
    expect(await confusedIntents(demo)).toEqual([]);
  });

  it('stops when a newer check makes it stale', async () => {
    expect(await confusedIntents(demo, { cancelled: () => true })).toBeNull();
  });
});

describe('GET /api/intents/warnings', () => {
  let t: TestApp;
  let admin: { token: string };
  let agent: { token: string };
  beforeAll(async () => {
    t = createTestApp();
    admin = await t.signIn('admin');
    agent = await t.signIn('agent');
  });
  afterAll(() => t.close());

  const warnings = async (token: string) => {
    const res = await t.request('/api/intents/warnings', { token });
    expect(res.status).toBe(200);
    return (await res.json()) as IntentWarnings;
  };

  it('warns, after checking in the background, about an intent with too few phrases in a language it answers in, and about confused intents', async () => {
    const ids: Record<string, string> = {};
    const thin: IntentInput = {
      name: 'Delivery',
      phrases: ['onde está meu pedido?', 'meu pedido não chegou', 'where is my order?', 'my order has not arrived', 'I am still waiting for my order', 'track my order', 'when will my order arrive?'],
      answers: ['Seu pedido chega em até 5 dias úteis.', 'Your order arrives within 5 working days.'],
      desk: billing.desk,
    };
    for (const input of [...demoIntents(null), refunds, thin]) {
      const res = await t.request('/api/intents', { method: 'POST', json: input, token: admin.token });
      expect(res.status).toBe(201);
      ids[input.name] = ((await res.json()) as { intent: Intent }).intent.id;
    }
    // Asking starts the check; until it ends the answer says so.
    expect((await warnings(agent.token)).state).toBe('checking');
    await t.services.intentChecks.settled();
    const checked = await warnings(agent.token);
    expect(checked.state).toBe('ready');
    expect(checked.warnings).toContainEqual({ kind: 'fewPhrases', intentId: ids.Delivery, language: 'pt', phrases: 2, minimum: 5 });
    // English has five phrases; Spanish has none but no answer either.
    expect(checked.warnings.filter((w) => w.kind === 'fewPhrases' && w.intentId === ids.Delivery)).toHaveLength(1);
    const confused = checked.warnings.filter((w) => w.kind === 'confused');
    expect(confused.map((w) => [...w.intentIds].sort())).toEqual([[ids['Billing problem'], ids.Refunds].sort()]);

    // Removing one of the two confused intents clears the warning once the bot has retrained.
    expect((await t.request(`/api/intents/${ids.Refunds}`, { method: 'DELETE', token: admin.token })).status).toBe(204);
    await t.services.nlu.whenIdle();
    const after = await t.services.intentChecks.settled();
    expect(after.warnings.some((w) => w.kind === 'confused')).toBe(false);
  });

  it('needs a signed-in member', async () => {
    expect((await t.request('/api/intents/warnings')).status).toBe(401);
  });
});
