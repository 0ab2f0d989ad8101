import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.ts';

describe('POST /api/intents/try', () => {
  let t: TestApp;
  let admin: { token: string };
  let agent: { token: string };
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn('admin');
    agent = await t.signIn('agent');
  });
  afterAll(() => t.close());

  it('tells which intent a sentence matches, with the model trained after the last save', async () => {
    const input = {
      name: 'Opening hours',
      phrases: ['what are your opening hours?', 'what time do you open?', 'when do you close?'],
      answers: ['We open at 9.'],
    };
    const created = await t.request('/api/intents', { method: 'POST', json: input, token: admin.token });
    expect(created.status).toBe(201);
    // Agents may try it too (intents.read); the retrain that the save started is awaited.
    const res = await t.request('/api/intents/try', { method: 'POST', json: { text: 'what time do you open?' }, token: agent.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { intent: { name: string } | null; confidence: number; language: string; answer: string | null };
    expect(body.intent?.name).toBe('Opening hours');
    expect(body.confidence).toBeGreaterThan(0.5);
    expect(body.language).toBe('en');
    expect(body.answer).toBe('We open at 9.');
  });

  it('shows the best intents with their confidences and what the bot would do: answer, ask or fall back', async () => {
    for (const input of [
      { name: 'Talk to a person', phrases: ['I want to talk to a person', 'can I speak to someone?'], answers: ['Bringing someone in.'] },
      { name: 'Greeting', phrases: ['hello', 'hi there'], answers: ['Hello!'] },
      // The same words for two intents: only the user can tell which one they mean.
      { name: 'Order status', phrases: ['where is my order', 'help with my order'], answers: ['It ships in 2 days.'] },
      { name: 'Order problem', phrases: ['my order arrived broken', 'help with my order'], answers: ['Sorry! Send us a photo.'] },
    ]) {
      expect((await t.request('/api/intents', { method: 'POST', json: input, token: admin.token })).status).toBe(201);
    }
    type Try = { decision: string; ranking: { intent: { name: string }; confidence: number }[] };
    const tryIt = async (text: string) => (await (await t.request('/api/intents/try', { method: 'POST', json: { text }, token: admin.token })).json()) as Try;
    const answered = await tryIt('can I speak to a person?');
    expect(answered.decision).toBe('answer');
    expect(answered.ranking[0]?.intent.name).toBe('Talk to a person');
    expect(answered.ranking.length).toBeLessThanOrEqual(3);
    const asked = await tryIt('help with my order');
    expect(asked.decision).toBe('ask');
    expect(asked.ranking.slice(0, 2).map((r) => r.intent.name).sort()).toEqual(['Order problem', 'Order status']);
    expect((await tryIt('qwzx vbnm')).decision).toBe('fallback');
  });

  it('answers no intent and the fallback below the threshold, and refuses a blank sentence', async () => {
    const res = await t.request('/api/intents/try', { method: 'POST', json: { text: 'qwzx vbnm' }, token: admin.token });
    const body = (await res.json()) as { intent: unknown; answer: string };
    expect(body.intent).toBeNull();
    expect(body.answer).toBeTruthy();
    const blank = await t.request('/api/intents/try', { method: 'POST', json: { text: '  ' }, token: admin.token });
    expect(blank.status).toBe(400);
    expect((await t.request('/api/intents/try', { method: 'POST', json: { text: 'hi' } })).status).toBe(401);
  });
});
