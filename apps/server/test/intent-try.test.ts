import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.ts';

describe('POST /api/intents/try', () => {
  let t: TestApp;
  let admin: { token: string };
  let agent: { token: string };
  beforeAll(async () => {
    t = createTestApp();
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
