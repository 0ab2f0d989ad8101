import type { MissConversation, MissGroups, Report } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDesk, must, sampleIntents, type TestDesk, withIntents } from './support/desk-fixture.ts';
import { rawRun } from './support/raw-sql.ts';

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk();
  await withIntents(t, sampleIntents());
  const res = await t.request('/api/reports/settings', { method: 'PUT', json: { timeZone: 'UTC', missesRetentionDays: 90 }, token: t.admin.token });
  expect(res.status).toBe(200);
});
afterEach(() => t.close());

const quiet = { enabled: false, agentId: null, status: 'new', priority: 'normal' } as const;
const visitor = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const say = async (n: number, text: string, channel: 'webchat' | 'telegram' = 'webchat') =>
  await t.services.engine.handleInbound({ channel, externalId: channel === 'webchat' ? visitor(n) : String(n), text });
const report = async (token: string, query = 'range=today') => {
  const res = await t.request(`/api/reports?${query}`, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as Report;
};

describe('reports', () => {
  it('counts what the bot and the team did today: answers, fallbacks, offers, hand-offs, replies and solves', async () => {
    await say(1, 'hello'); // bot alone
    await say(2, 'what are your opening hours', 'telegram'); // bot alone, Telegram
    const billing = must((await say(3, 'I was charged twice')).ticket); // hand-off to Desk
    await say(4, 'my parcel never arrived'); // fallback
    await say(4, 'the parcel has not arrived yet'); // fallback + offer of a person
    const accepted = must((await say(4, 'Yes, a person')).ticket); // accepted: a ticket

    await t.services.engine.reply({ ticketId: billing.id, agentId: t.agent.id, text: 'Looking into it.' });
    await t.services.ticketService.changeTicket(billing.id, { status: 'solved' }, t.agent.id);

    const figures = await report(t.admin.token);
    expect(figures.bot).toMatchObject({
      conversations: 4,
      messages: 6,
      handledAlone: 2,
      botAnswers: 3,
      fallbacks: 2,
      offersShown: 1,
      offersAccepted: 1,
      disambiguationsAsked: 0,
      handOffsByDestination: { desk: 2, zendesk_support: 0, zendesk_messaging: 0 },
    });
    expect(figures.bot?.handledAloneShare).toBeCloseTo(0.5);
    expect(figures.bot?.fallbackRate).toBeCloseTo(2 / 6);
    expect(figures.handOffsByIntent?.find((r) => r.name === 'Billing problem')).toMatchObject({ answers: 1, handOffs: 1, rate: 1 });
    expect(figures.handOffsByIntent?.find((r) => r.name === 'Greeting')).toMatchObject({ answers: 1, handOffs: 0, rate: 0 });
    expect(figures.team).toMatchObject({ ticketsCreated: 2, ticketsSolved: 1 });
    expect(figures.team.firstResponse.count).toBe(1);
    expect(figures.team.resolution.count).toBe(1);
    expect(figures.team.agents).toEqual([expect.objectContaining({ agentId: t.agent.id, name: 'Ana Agent', solved: 1 })]);
    const today = must(figures.volumes.at(-1));
    expect(today).toMatchObject({ total: 4, byChannel: { webchat: 3, telegram: 1 } });
    // The accepted offer's ticket is new; the billing ticket was open, then solved.
    expect(figures.backlog.at(-1)).toEqual({ day: today.day, new: 1, open: 0, pending: 0, 'on-hold': 0 });
    expect(accepted.status).toBe('new');

    // Filters: the Telegram channel; the Billing intent.
    const telegram = await report(t.admin.token, 'range=today&channel=telegram');
    expect(telegram.bot).toMatchObject({ conversations: 1, messages: 1, botAnswers: 1, fallbacks: 0 });
    const billingOnly = await report(t.admin.token, `range=7d&intentId=${must(billing.intentId)}`);
    expect(billingOnly.team).toMatchObject({ ticketsCreated: 1, ticketsSolved: 1 });
    expect(billingOnly.volumes).toHaveLength(7);

    // Agents: the team view and their own row; no bot figures.
    const agentView = await report(t.other.token);
    expect(agentView.bot).toBeNull();
    expect(agentView.handOffsByIntent).toBeNull();
    expect(agentView.team.ticketsCreated).toBe(2);
    expect(agentView.team.agents).toEqual([{ agentId: t.other.id, name: 'Bruno Agent', solved: 0, medianFirstResponse: null }]);
  });

  it('counts a batch of inbox rows with several turns per conversation as it counts them one by one, hand-offs included', async () => {
    const { inboxRepo, inboxProcessor, clock } = t.services;
    const update = (n: number, chat: number, text: string) =>
      JSON.stringify({ update_id: 7000 + n, message: { message_id: n, from: { id: chat, is_bot: false, first_name: 'Ana' }, chat: { id: chat, type: 'private' }, date: 1_700_000_000, text } });
    const said: [number, string][] = [
      [71, 'hello'],
      [72, 'hello'],
      [71, 'what are your opening hours'],
      [73, 'hello'],
      [71, 'my parcel never arrived'],
      [73, 'I was charged twice'],
    ];
    for (const [n, [chat, text]] of said.entries()) await inboxRepo.insert('telegram', `batch-${n}`, update(n + 1, chat, text), clock());
    // One batch, one transaction: the conversations' report rows are written at its commit.
    expect(await inboxProcessor.runBatch()).toBe(said.length);

    const figures = await report(t.admin.token);
    expect(figures.bot).toMatchObject({
      conversations: 3,
      messages: 6,
      // 71 and 72; 73 was handed off right after its greeting was answered.
      handledAlone: 2,
      botAnswers: 5,
      fallbacks: 1,
      handOffsByDestination: { desk: 1, zendesk_support: 0, zendesk_messaging: 0 },
    });
    expect(figures.handOffsByIntent?.find((r) => r.name === 'Greeting')).toMatchObject({ answers: 3, handOffs: 0 });
  });

  it('counts days in the workspace time zone', async () => {
    await say(1, 'hello');
    const res = await t.request('/api/reports/settings', { method: 'PUT', json: { timeZone: 'Pacific/Kiritimati', missesRetentionDays: 90 }, token: t.admin.token });
    expect(res.status).toBe(200);
    const figures = await report(t.admin.token, 'range=7d');
    expect(figures.timeZone).toBe('Pacific/Kiritimati');
    expect(figures.volumes.reduce((n, v) => n + v.total, 0)).toBe(1);
    // The daily roll-ups were counted again in the new zone: the conversation is on its today.
    expect(figures.volumes.find((v) => v.total === 1)?.day).toBe(figures.to);
    expect(figures.to).toBe(new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10));
  });

  it('refuses a custom range without days, an unknown time zone, and settings from agents', async () => {
    const bad = await t.request('/api/reports?range=custom&from=2026-11-01', { token: t.admin.token });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('to');
    const zone = await t.request('/api/reports/settings', { method: 'PUT', json: { timeZone: 'Mars/Olympus', missesRetentionDays: 90 }, token: t.admin.token });
    expect(zone.status).toBe(400);
    const agent = await t.request('/api/reports/settings', { method: 'PUT', json: { timeZone: 'UTC', missesRetentionDays: 30 }, token: t.agent.token });
    expect(agent.status).toBe(403);
  });
});

describe('the misses inbox', () => {
  const groups = async () => {
    const res = await t.request('/api/misses', { token: t.admin.token });
    expect(res.status).toBe(200);
    return (await res.json()) as MissGroups;
  };

  it('groups similar fallbacks; added to an intent, a new message like them gets its answer', async () => {
    await say(1, 'my parcel never arrived');
    await say(2, 'the parcel never arrived', 'telegram');
    await say(3, 'parcel never arrived!!');
    await say(4, 'do you sell gift cards');
    const inbox = await groups();
    expect(inbox.total).toBe(4);
    const parcel = must(inbox.groups[0]);
    expect(parcel.size).toBe(3);
    expect(parcel.examples.map((e) => e.channel).sort()).toEqual(['telegram', 'webchat', 'webchat']);
    expect(parcel.examples[0]).toMatchObject({ language: 'en', reason: 'fallback' });
    expect(inbox.groups[1]?.size).toBe(1);

    const hours = must((await t.services.intents.list()).find((i) => i.name === 'Opening hours'));
    const created = await t.request('/api/misses/actions', {
      method: 'POST',
      token: t.admin.token,
      json: { action: 'create_intent', entryIds: parcel.entryIds, intent: { name: 'Lost parcel', answers: ['We will track your parcel.'] } },
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ resolved: 3 });
    await t.services.nlu.whenIdle();
    const answered = await say(5, 'my parcel never arrived yet');
    expect(answered.reply?.text).toBe('We will track your parcel.');

    const after = await groups();
    expect(after.groups.map((g) => g.label)).toEqual(['do you sell gift cards']);
    const dismissed = await t.request('/api/misses/actions', { method: 'POST', token: t.admin.token, json: { action: 'dismiss', entryIds: must(after.groups[0]).entryIds } });
    expect(dismissed.status).toBe(200);
    expect((await groups()).total).toBe(0);
    // Handled entries can't be handled twice; unknown intents are refused.
    const again = await t.request('/api/misses/actions', { method: 'POST', token: t.admin.token, json: { action: 'add_to_intent', entryIds: parcel.entryIds, intentId: hours.id } });
    expect(again.status).toBe(404);
  });

  it('adds a group to an existing intent as phrases', async () => {
    await say(1, 'when do you guys start working');
    await say(2, 'when do you start working');
    const group = must((await groups()).groups[0]);
    const hours = must((await t.services.intents.list()).find((i) => i.name === 'Opening hours'));
    const res = await t.request('/api/misses/actions', { method: 'POST', token: t.admin.token, json: { action: 'add_to_intent', entryIds: group.entryIds, intentId: hours.id } });
    expect(res.status).toBe(200);
    expect(must(await t.services.intents.get(hours.id)).phrases).toEqual(expect.arrayContaining(['when do you guys start working', 'when do you start working']));
    await t.services.nlu.whenIdle();
    expect((await say(3, 'when do you start working?')).reply?.text).toBe('We are open Monday to Friday, 9am to 6pm.');
  });

  it('shows admins the bot-only conversation a miss came from, read-only; not to agents, and no other conversation', async () => {
    await say(1, 'hello');
    await say(1, 'do you sell gift cards');
    await say(2, 'what are your opening hours'); // answered: not in the inbox
    const entry = must(must((await groups()).groups[0]).examples[0]);
    expect(entry.ticketId).toBeNull();
    const res = await t.request(`/api/misses/conversations/${entry.conversationId}`, { token: t.admin.token });
    expect(res.status).toBe(200);
    const transcript = (await res.json()) as MissConversation;
    expect(transcript).toMatchObject({ conversationId: entry.conversationId, channel: 'webchat', ticketId: null });
    expect(transcript.messages.map((m) => [m.authorKind, m.text])).toEqual([
      ['user', 'hello'],
      ['bot', 'Hello! I am the virtual assistant. How can I help you?'],
      ['user', 'do you sell gift cards'],
      ['bot', expect.any(String)],
    ]);
    expect((await t.request(`/api/misses/conversations/${entry.conversationId}`, { token: t.agent.token })).status).toBe(403);
    const answered = must((await t.services.conversations.findByIdentity('webchat', visitor(2))));
    expect((await t.request(`/api/misses/conversations/${answered.id}`, { token: t.admin.token })).status).toBe(404);
    expect((await t.request('/api/misses/conversations/no-such-conversation', { token: t.admin.token })).status).toBe(404);
  });

  it('is for admins only, and deletes entries older than the retention setting', async () => {
    expect((await t.request('/api/misses', { token: t.agent.token })).status).toBe(403);
    expect((await t.request('/api/misses/actions', { method: 'POST', token: t.agent.token, json: { action: 'dismiss', entryIds: ['x'] } })).status).toBe(403);
    await say(1, 'my parcel never arrived');
    await say(2, 'zxqv wqzz');
    await rawRun(t.services.db, "UPDATE bot_misses SET created_at = '2020-01-01T00:00:00.000Z' WHERE text = 'zxqv wqzz'");
    expect(await t.services.missesRetention.runOnce()).toBe(1);
    expect((await groups()).groups.map((g) => g.label)).toEqual(['my parcel never arrived']);
  });

  it('records an unanswered disambiguation and a message followed by asking for a person', async () => {
    await withIntents(t, [
      { name: 'Reset password', phrases: ['I forgot my password', 'reset my password'], answers: ['Use "Forgot password".'], desk: quiet },
      { name: 'Account locked', phrases: ['my account is locked', 'I forgot my password'], answers: ['It unlocks after 15 minutes.'], desk: quiet },
    ]);
    expect((await say(1, 'I forgot my password')).reply?.quickReplies).toHaveLength(2);
    await say(1, 'hello'); // went on without choosing
    await say(2, 'what are your opening hours');
    await say(2, 'I want to talk to an agent');
    const entries = (await groups()).groups.flatMap((g) => g.examples);
    expect(entries.map((e) => [e.text, e.reason]).sort()).toEqual([
      ['I forgot my password', 'unanswered_ask'],
      ['what are your opening hours', 'asked_person'],
    ]);
    const figures = await report(t.admin.token);
    expect(figures.bot).toMatchObject({ disambiguationsAsked: 1, disambiguationsAnswered: 0 });
  });
});
