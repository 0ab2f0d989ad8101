import { randomUUID } from 'node:crypto';
import type { Message, PullResponse, WebchatMessage } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planPush } from '../src/push/push-messages.ts';
import { createTestDesk, must, sampleIntents, type TestDesk, withIntents } from './support/desk-fixture.ts';
import { pull, push } from './sync/sync-helpers.ts';

let t: TestDesk;
beforeEach(async () => {
  t = createTestDesk();
  await withIntents(t, sampleIntents());
});
afterEach(() => t.close());

/** A web chat visitor handed to the Desk: their token and the ticket. */
async function handedOffVisitor() {
  const visitorId = randomUUID();
  const first = await t.request('/channels/webchat/messages', { method: 'POST', token: null, json: { visitorId, text: 'could I please speak with a real person' } });
  expect(first.status).toBe(201);
  const token = ((await first.json()) as { visitorToken: string }).visitorToken;
  const ticketId = must(t.services.conversations.findByIdentity('webchat', visitorId)?.activeTicketId);
  const headers = { 'x-visitor-token': token };
  return {
    ticketId,
    list: async () => ((await (await t.request('/channels/webchat/messages', { token: null, headers })).json()) as { messages: WebchatMessage[] }).messages,
    stream: (extra: Record<string, string> = {}) => t.request('/channels/webchat/stream', { token: null, headers: { ...headers, ...extra } }),
  };
}

/** One sync client per agent (token), numbering its mutations from 1 for each test's fresh database. */
const clients = new Map<string, { id: string; next: number }>();
beforeEach(() => clients.clear());
async function act(name: string, args: Record<string, unknown>, token = t.agent.token) {
  const client = clients.get(token) ?? { id: randomUUID(), next: 1 };
  clients.set(token, client);
  const mutationId = client.next++;
  const res = await push(t, client.id, [{ id: mutationId, name, args }], { token });
  expect(res.status).toBe(200);
  return must(res.body.results[0]);
}
const note = (ticketId: string, text: string, token?: string) => act('ticket.note', { ticketId, messageId: randomUUID(), text }, token);
const reply = (ticketId: string, text: string, extra: Record<string, unknown> = {}, token?: string) =>
  act('ticket.reply', { ticketId, messageId: randomUUID(), text, ...extra }, token);

/** Reads SSE `message` events until one has this text. */
async function visitorEventsUntil(res: Response, text: string): Promise<WebchatMessage[]> {
  const reader = must(res.body).getReader();
  const decoder = new TextDecoder();
  let received = '';
  const events = () =>
    received
      .split('\n\n')
      .filter((block) => block.includes('event: message'))
      .map((block) => JSON.parse(must(block.split('\n').find((l) => l.startsWith('data: '))).slice(6)) as WebchatMessage);
  while (!events().some((e) => e.text === text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    received += decoder.decode(value);
  }
  await reader.cancel();
  return events();
}

describe('internal notes', () => {
  it('never reach the web chat: not in the visitor API, not on the visitor stream, while the reply after them does', async () => {
    const visitor = await handedOffVisitor();
    const stream = await visitor.stream();
    expect(stream.status).toBe(200);
    const events = visitorEventsUntil(stream, 'Hi, Ana here.');
    expect((await note(visitor.ticketId, 'SECRET-NOTE: refund looks fraudulent')).status).toBe('applied');
    expect((await reply(visitor.ticketId, 'Hi, Ana here.')).status).toBe('applied');
    const streamed = await events;
    expect(streamed.map((e) => e.text)).toContain('Hi, Ana here.');
    expect(JSON.stringify(streamed)).not.toContain('SECRET-NOTE');
    const listed = await visitor.list();
    expect(listed.map((m) => m.text)).toContain('Hi, Ana here.');
    expect(JSON.stringify(listed)).not.toContain('SECRET-NOTE');
    // A reconnecting visitor's replay (everything after their first message) skips it too.
    const replayed = await visitorEventsUntil(await visitor.stream({ 'last-event-id': must(listed[0]).id }), 'Hi, Ana here.');
    expect(JSON.stringify(replayed)).not.toContain('SECRET-NOTE');
    // Nothing of it is in the messages table that every path to a user reads.
    expect((t.services.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE text LIKE '%SECRET-NOTE%'").get() as { n: number }).n).toBe(0);
  });

  it('reach every agent as a message with authorKind note, idempotent on its id, allowed on a solved ticket', async () => {
    const visitor = await handedOffVisitor();
    const messageId = randomUUID();
    const args = { ticketId: visitor.ticketId, messageId, text: 'Checked the order: shipped yesterday.' };
    expect((await act('ticket.note', args)).status).toBe('applied');
    expect((await act('ticket.note', args)).status).toBe('applied');
    const { body } = await pull(t, 0, { token: t.other.token });
    const notes = body.changes.filter((c) => c.entity === 'message' && (c.data as Message).authorKind === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.data).toMatchObject({ id: messageId, agentId: t.agent.id, ticketId: visitor.ticketId, delivery: null });
    t.services.db.prepare("UPDATE tickets SET status = 'solved' WHERE id = ?").run(visitor.ticketId);
    expect((await note(visitor.ticketId, 'For the record: solved by phone.')).status).toBe('applied');
  });

  it('mention an agent, who gets a push even when the ticket is not theirs; the author does not', async () => {
    const visitor = await handedOffVisitor();
    t.services.db.prepare('UPDATE tickets SET assignee_id = ? WHERE id = ?').run(t.agent.id, visitor.ticketId);
    const heard: string[][] = [];
    t.services.events.on('note.created', (payload) => {
      const plans = planPush({ name: 'note.created', payload }, {
        activeAgentIds: t.services.agents.list().map((a) => a.id),
        ticketOf: () => null,
        agentName: (id) => t.services.agents.get(id)?.name,
      });
      heard.push(plans.flatMap((p) => p.agentIds), plans.map((p) => p.render('en').title));
    });
    expect((await note(visitor.ticketId, '@bruno could you check the invoice? cc @ana')).status).toBe('applied');
    expect(heard[0]).toEqual([t.other.id]);
    expect(heard[1]?.[0]).toMatch(/^Ana Agent mentioned you on #\d+$/);
  });
});

describe('reply collision', () => {
  it('holds a reply written before another agent replied, unless sent anyway; a reply that saw it goes through', async () => {
    const visitor = await handedOffVisitor();
    expect((await reply(visitor.ticketId, 'Bruno here, on it.', {}, t.other.token)).status).toBe('applied');
    const held = await reply(visitor.ticketId, 'Ana here too.', { seenAt: null });
    expect(held).toMatchObject({ status: 'rejected', error: { code: 'conflict', rule: 'ticket.reply.collision' } });
    expect(JSON.stringify(await visitor.list())).not.toContain('Ana here too.');
    expect((await reply(visitor.ticketId, 'Ana here too.', { seenAt: null, force: true })).status).toBe('applied');
    const brunoAt = must(t.services.messages.listByTicket(visitor.ticketId).find((m) => m.agentId === t.other.id)).createdAt;
    expect((await reply(visitor.ticketId, 'Following up.', { seenAt: brunoAt })).status).toBe('applied');
    expect((await visitor.list()).map((m) => m.text)).toEqual(expect.arrayContaining(['Bruno here, on it.', 'Ana here too.', 'Following up.']));
  });
});

describe('canned replies', () => {
  const texts = { 'pt-BR': 'Olá {{user.first_name}}', es: 'Hola {{user.first_name}}', en: 'Hi {{user.first_name}}' };
  it('shared ones are managed by admins only (an agent is refused as forbidden) and reach every agent', async () => {
    const id = randomUUID();
    const refused = await act('cannedReply.saveShared', { id, shortcut: 'hi', title: 'Greeting', texts });
    expect(refused).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    expect((await act('cannedReply.saveShared', { id, shortcut: 'hi', title: 'Greeting', texts }, t.admin.token)).status).toBe('applied');
    const seen = (await pull(t, 0, { token: t.other.token })).body as PullResponse;
    expect(seen.changes.find((c) => c.entity === 'cannedReply')?.data).toMatchObject({ id, ownerId: null, shortcut: 'hi' });
    expect((await act('cannedReply.deleteShared', { id }, t.admin.token)).status).toBe('applied');
    const after = (await pull(t, 0, { token: t.other.token })).body as PullResponse;
    expect(after.changes.filter((c) => c.entity === 'cannedReply').map((c) => c.op)).toEqual(['delete']);
  });

  it('personal ones reach their owner only, and nobody else may change them', async () => {
    const id = randomUUID();
    expect((await act('cannedReply.savePersonal', { id, shortcut: 'mine', title: 'Mine', texts })).status).toBe('applied');
    const mine = (await pull(t, 0)).body as PullResponse;
    expect(mine.changes.find((c) => c.entity === 'cannedReply')?.data).toMatchObject({ id, ownerId: t.agent.id });
    const theirs = (await pull(t, 0, { token: t.other.token })).body as PullResponse;
    expect(theirs.changes.some((c) => c.entity === 'cannedReply')).toBe(false);
    const taken = await act('cannedReply.savePersonal', { id, shortcut: 'stolen', title: 'Stolen', texts }, t.other.token);
    expect(taken).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    expect(t.services.db.prepare('SELECT shortcut FROM canned_replies WHERE id = ?').get(id)).toEqual({ shortcut: 'mine' });
  });
});
