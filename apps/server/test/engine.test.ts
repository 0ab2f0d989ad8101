import { type Message, timeOfId } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSendError } from '../src/channels/channel-adapter.ts';
import type { ConversationRecord } from '../src/conversations/conversations-repo.ts';
import type { DomainEvent } from '../src/events/domain-events.ts';
import { createTestDesk, must, sampleIntents, type TestDesk, withIntents } from './support/desk-fixture.ts';
import { rawRow, rawRows, rawRun } from './support/raw-sql.ts';

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk();
  await withIntents(t, sampleIntents());
});
afterEach(() => t.close());

const visitor = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const say = async (text: string, externalId = visitor(1), extra: Partial<Parameters<TestDesk['services']['engine']['handleInbound']>[0]> = {}) =>
  await t.services.engine.handleInbound({ channel: 'webchat', externalId, text, ...extra });
const intentNamed = async (name: string) => must((await t.services.intents.list()).find((i) => i.name === name));
const texts = (messages: Message[]) => messages.map((m) => `${m.authorKind}: ${m.text}`);

describe('inbound messages in bot mode', () => {
  it('creates the contact, identity and conversation of an unknown user and answers in their language', async () => {
    const result = await say('oi, tudo bem?', visitor(1), { profile: { name: 'Maria' } });
    expect(result.created).toBe(true);
    expect(result.conversation.mode).toBe('bot');
    const contact = must(await t.services.contacts.get(result.conversation.contactId));
    expect(contact.name).toBe('Maria');
    expect(contact.identities).toEqual([{ channel: 'webchat', externalId: visitor(1) }]);
    expect(result.reply?.authorKind).toBe('bot');
    expect(result.reply?.text).toMatch(/^Olá!/);
    expect(result.reply?.delivery).toEqual({ state: 'delivered' });
    expect(result.ticket).toBeNull();

    expect((await say('hola, ¿qué tal?', visitor(2))).reply?.text).toMatch(/^¡Hola!/);
    expect((await say('hello there', visitor(3))).reply?.text).toMatch(/^Hello!/);
  });

  it('answers with the localised fallback when no intent is confident enough', async () => {
    expect((await say('xyzzy plugh', visitor(1))).reply?.text).toMatch(/understand|entendi|entendí/);
    await say('oi', visitor(2));
    // No language clue in the text: the conversation's language (from "oi") is used.
    const pt = await say('ornitorrinco azul xyz', visitor(2));
    expect(pt.reply?.text).toMatch(/^Desculpe/);
    expect(pt.ticket).toBeNull();
  });

  it('stores a redelivered message once and does not answer it twice', async () => {
    const first = await t.services.engine.handleInbound({ channel: 'telegram', externalId: '42', text: 'hello', channelMessageId: 'tg-1' });
    const again = await t.services.engine.handleInbound({ channel: 'telegram', externalId: '42', text: 'hello', channelMessageId: 'tg-1' });
    expect(again.created).toBe(false);
    expect(again.message.id).toBe(first.message.id);
    expect(await t.services.messages.listByConversation(first.conversation.id)).toHaveLength(2);
  });

  it('queues bot answers to non-webchat channels in the outbox', async () => {
    const result = await t.services.engine.handleInbound({ channel: 'telegram', externalId: '42', text: 'hello' });
    expect(result.reply?.delivery).toEqual({ state: 'pending', attempts: 0 });
    expect(await rawRow(t.services.db, 'SELECT state FROM outbox WHERE message_id = ?', result.reply?.id)).toEqual({ state: 'pending' });
  });

  it('records what agents can see in the change feed: the contact now, the bot talk once a ticket holds it', async () => {
    await t.services.integration.put({ subject: 'Support', tags: [], enabled: true });
    await t.services.retrainBot();
    const before = await t.services.changes.latestSeq();
    const hello = await say('hello');
    const logged = async () => (await rawRows(t.services.db, 'SELECT entity, entity_id FROM change_log WHERE seq > ?', before) as { entity: string; entity_id: string }[]).map((r) => `${r.entity}:${r.entity_id}`);
    expect(await logged()).toEqual([`contact:${hello.conversation.contactId}`]);
    const handOff = await say('can I talk to a real person please');
    const ticket = must(handOff.ticket);
    const transcript = await t.services.messages.listByTicket(ticket.id);
    expect(transcript.map((m) => m.id)).toEqual(expect.arrayContaining([hello.message.id, must(hello.reply).id]));
    expect(await logged()).toEqual(expect.arrayContaining([`ticket:${ticket.id}`, ...transcript.map((m) => `message:${m.id}`)]));
  });
});

describe('ids of the rows the server creates', () => {
  const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('are time-ordered (UUIDv7): successive messages sort by id in the order they were stored', async () => {
    const startedAt = Date.now();
    const first = await say('hello there', visitor(1));
    const second = await say('when do you open on saturday?', visitor(2));
    const handedOff = await say('I want to talk to a person', visitor(1));
    const stored = [first.message, must(first.reply), second.message, must(second.reply), handedOff.message, must(handedOff.reply)];
    for (const message of stored) {
      expect(message.id).toMatch(UUID_V7);
      expect(timeOfId(message.id)).toBeGreaterThanOrEqual(startedAt);
    }
    expect(stored.map((m) => m.id)).toEqual(stored.map((m) => m.id).sort());
    // As the database orders them too (insertion order is the rowid).
    const rows = (await rawRows(t.services.db, 'SELECT id FROM messages ORDER BY rowid')) as { id: string }[];
    expect(rows.map((r) => r.id)).toEqual(rows.map((r) => r.id).sort());
    const ticket = must(handedOff.ticket);
    for (const id of [first.conversation.id, second.conversation.id, first.conversation.contactId, ticket.id]) expect(id).toMatch(UUID_V7);
    expect(first.conversation.id < second.conversation.id).toBe(true);
  });
});

describe('hand-off (rules 1 and 2)', () => {
  it('creates the ticket with the integration subject and tags, the intent status and priority, and the transcript', async () => {
    await t.services.integration.put({ subject: 'Support', tags: ['chatbot', 'web'], enabled: true });
    await t.services.retrainBot();
    await say('good morning');
    await say('what time do you open?');
    const handOff = await say('can I talk to a real person please');
    const ticket = must(handOff.ticket);
    expect(ticket).toMatchObject({
      number: 1,
      subject: 'Support — Talk to a person',
      tags: ['chatbot', 'web'],
      status: 'new',
      priority: 'normal',
      assigneeId: null,
      intentId: (await intentNamed('Talk to a person')).id,
      channel: 'webchat',
    });
    expect(ticket.intentConfidence).toBeGreaterThan(0.6);
    expect(texts(await t.services.messages.listByTicket(ticket.id))).toEqual([
      'user: good morning',
      expect.stringMatching(/^bot: Hello!/),
      'user: what time do you open?',
      expect.stringMatching(/^bot: We are open/),
      'user: can I talk to a real person please',
      'bot: Sure! I am passing you to an agent.',
    ]);
    expect(handOff.conversation).toMatchObject({ mode: 'desk', activeTicketId: ticket.id });
  });

  it('assigns the intent agent, which opens the ticket, with the intent status and priority', async () => {
    await t.services.intents.update((await intentNamed('Billing problem')).id, { desk: { agentId: t.other.id, status: 'new' } });
    await t.services.retrainBot();
    const { ticket } = await say('I was charged two times on my card');
    expect(ticket).toMatchObject({ assigneeId: t.other.id, status: 'open', priority: 'high' });
  });

  it("prefers the contact's designated agent over the intent's agent", async () => {
    await t.services.intents.update((await intentNamed('Billing problem')).id, { desk: { agentId: t.other.id } });
    await t.services.retrainBot();
    const first = await say('hello');
    await t.services.contacts.update(first.conversation.contactId, { designatedAgentId: t.agent.id });
    const { ticket } = await say('there is a wrong charge on my card');
    expect(ticket?.assigneeId).toBe(t.agent.id);
  });

  it('skips a deactivated designated agent and leaves the ticket unassigned and new', async () => {
    const first = await say('hello');
    await t.services.contacts.update(first.conversation.contactId, { designatedAgentId: t.other.id });
    await t.services.agents.update(t.other.id, { active: false });
    const { ticket } = await say('I want to talk to a person');
    expect(ticket).toMatchObject({ assigneeId: null, status: 'new' });
  });

  it('creates no ticket when the Desk integration is disabled', async () => {
    await t.services.integration.put({ subject: 'Desk', tags: [], enabled: false });
    const result = await say('I want to talk to a person');
    expect(result.ticket).toBeNull();
    expect(result.conversation.mode).toBe('bot');
  });

  it('emits ticket.created and message.created after the commit', async () => {
    const seen: DomainEvent['name'][] = [];
    let inTransaction = false;
    t.services.events.on('ticket.created', () => {
      seen.push('ticket.created');
      inTransaction ||= t.services.db.inTransaction;
    });
    t.services.events.on('message.created', ({ message }) => {
      seen.push('message.created');
      expect(message.ticketId).not.toBeNull();
      inTransaction ||= t.services.db.inTransaction;
    });
    await say('I need to talk to a human');
    expect(seen).toEqual(['ticket.created', 'message.created', 'message.created']);
    expect(inTransaction).toBe(false);
  });
});

describe('desk mode (rule 3)', () => {
  it('keeps the bot silent and adds user messages to the ticket', async () => {
    const { ticket } = await say('I want to talk to a person');
    const next = await say('hello? what time do you open?');
    expect(next.reply).toBeNull();
    expect(next.message.ticketId).toBe(ticket?.id);
    expect((await t.services.messages.listByTicket(must(ticket).id)).at(-1)?.text).toBe('hello? what time do you open?');
  });

  it("sends agent replies to the user's channel, once per message id", async () => {
    const { ticket } = await t.services.engine.handleInbound({ channel: 'telegram', externalId: '7', text: 'I want to talk to a person' });
    const id = crypto.randomUUID();
    const first = await t.services.engine.reply({ ticketId: must(ticket).id, agentId: t.agent.id, text: 'Hi, Ana here.', messageId: id });
    const again = await t.services.engine.reply({ ticketId: must(ticket).id, agentId: t.agent.id, text: 'Hi, Ana here.', messageId: id });
    expect(first.created).toBe(true);
    expect(again).toEqual({ message: first.message, created: false });
    expect(first.message).toMatchObject({ id, authorKind: 'agent', agentId: t.agent.id, ticketId: must(ticket).id });
    expect(await rawRow(t.services.db, 'SELECT COUNT(*) AS n FROM outbox WHERE message_id = ?', id)).toEqual({ n: 1 });
  });

  it('refuses an agent reply that carries a file', async () => {
    const { ticket } = await say('I want to talk to a person');
    await expect(t.services.engine.reply({ ticketId: must(ticket).id, agentId: t.agent.id, text: 'see attached', hasAttachments: true })).rejects.toThrow(
      expect.objectContaining({ code: 'rule_violated', rule: 'ticket.reply.text_only', message: expect.stringMatching(/^Media can't be sent from the Desk/) }),
    );
  });
});

describe('solving and reopening (rule 4)', () => {
  it('returns the conversation to the bot with a system note, and a later hand-off opens a new ticket', async () => {
    const first = must((await say('I want to talk to a person')).ticket);
    await say('my order never arrived');
    const solved = await t.services.ticketService.changeTicket(first.id, { status: 'solved' }, t.agent.id);
    expect(solved.solvedAt).not.toBeNull();
    const conversation = must(await t.services.conversations.get(first.conversationId));
    expect(conversation).toMatchObject({ mode: 'bot', activeTicketId: null });
    const note = must((await t.services.messages.listByTicket(first.id)).at(-1));
    expect(note).toMatchObject({ authorKind: 'system', ticketId: first.id });
    expect(note.text).toContain('Ana Agent');

    const afterSolve = await say('hello again');
    expect(afterSolve.reply?.text).toMatch(/^Hello!/);
    expect(afterSolve.message.ticketId).toBeNull();
    await expect(t.services.engine.reply({ ticketId: first.id, agentId: t.agent.id, text: 'late reply' })).rejects.toThrow(
      expect.objectContaining({ rule: 'ticket.reply.needs_active_ticket' }),
    );

    const second = must((await say('I need a human again')).ticket);
    expect(second.number).toBe(2);
    expect(texts(await t.services.messages.listByTicket(second.id))).toEqual([
      'user: hello again',
      expect.stringMatching(/^bot: Hello!/),
      'user: I need a human again',
      'bot: Sure! I am passing you to an agent.',
    ]);
  });

  it('keeps the bot in charge when the intent creates the ticket as solved', async () => {
    await t.services.intents.update((await intentNamed('Opening hours')).id, { desk: { enabled: true, status: 'solved' } });
    await t.services.retrainBot();
    const result = await say('what are your opening hours?');
    expect(result.ticket).toMatchObject({ status: 'solved' });
    expect(result.ticket?.solvedAt).not.toBeNull();
    expect(result.conversation.mode).toBe('bot');
    const last = must((await t.services.messages.listByTicket(must(result.ticket).id)).at(-1));
    expect(last.authorKind).toBe('system');
    expect((await say('hello')).reply?.text).toMatch(/^Hello!/);
  });

  it('puts the conversation back in desk mode when an agent reopens the ticket', async () => {
    const ticket = must((await say('I want to talk to a person')).ticket);
    await t.services.ticketService.changeTicket(ticket.id, { status: 'solved' }, t.agent.id);
    await t.services.ticketService.changeTicket(ticket.id, { status: 'open' }, t.agent.id);
    expect(await t.services.conversations.get(ticket.conversationId)).toMatchObject({ mode: 'desk', activeTicketId: ticket.id });
    const next = await say('thanks for reopening');
    expect(next.reply).toBeNull();
    expect(next.message.ticketId).toBe(ticket.id);
    expect((await t.services.messages.listByTicket(ticket.id)).filter((m) => m.authorKind === 'system')).toHaveLength(2);
  });

  it('refuses to reopen a ticket while the conversation continues in another one', async () => {
    const first = must((await say('I want to talk to a person')).ticket);
    await t.services.ticketService.changeTicket(first.id, { status: 'solved' }, t.agent.id);
    await say('I need a human again');
    await expect(t.services.ticketService.changeTicket(first.id, { status: 'open' }, t.agent.id)).rejects.toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
  });

  it('answers the rule a change breaks, and opens a new ticket on assignment', async () => {
    const ticket = must((await say('I want to talk to a person')).ticket);
    const assigned = await t.services.ticketService.changeTicket(ticket.id, { assigneeId: t.other.id }, t.agent.id);
    expect(assigned.status).toBe('open');
    await expect(t.services.ticketService.changeTicket(ticket.id, { status: 'new' }, t.agent.id)).rejects.toThrow(
      expect.objectContaining({ code: 'rule_violated', rule: 'ticket.status.no_return_to_new' }),
    );
  });
});

describe('contacts across channels', () => {
  it('matches a WhatsApp user to the contact an admin created with that phone', async () => {
    const known = await t.services.contacts.create({ name: 'João', phone: '+5511912345678', designatedAgentId: t.other.id });
    const result = await t.services.engine.handleInbound({
      channel: 'whatsapp',
      externalId: '5511912345678',
      text: 'I want to talk to a person',
      profile: { name: 'J', phone: '+5511912345678' },
    });
    expect(result.conversation.contactId).toBe(known.id);
    expect(result.ticket?.assigneeId).toBe(t.other.id);
    expect((await t.services.contacts.get(known.id))?.identities).toEqual([{ channel: 'whatsapp', externalId: '5511912345678' }]);
  });
});

describe('outbox worker', () => {
  it('marks a delivered message sent, retries retryable errors with backoff, fails permanent ones', async () => {
    const sent: string[] = [];
    let mode: 'ok' | 'retry' | 'fail' = 'retry';
    t.services.outbox.register({
      channel: 'telegram',
      async sendText(_conversation: ConversationRecord, text: string) {
        if (mode === 'retry') throw new ChannelSendError('502 from Telegram', true);
        if (mode === 'fail') throw new ChannelSendError('chat not found', false);
        sent.push(text);
        return { channelMessageId: `out-${sent.length}` };
      },
    });
    const { reply } = await t.services.engine.handleInbound({ channel: 'telegram', externalId: '9', text: 'hello' });
    await t.services.outbox.runDue();
    expect((await t.services.messages.get(must(reply).id))?.delivery).toMatchObject({ state: 'pending', attempts: 1, error: '502 from Telegram' });
    const row = await rawRow(t.services.db, 'SELECT next_attempt_at FROM outbox WHERE message_id = ?', reply?.id) as { next_attempt_at: string };
    expect(Date.parse(row.next_attempt_at)).toBeGreaterThan(Date.now());

    await rawRun(t.services.db, 'UPDATE outbox SET next_attempt_at = ?', new Date(0).toISOString());
    mode = 'ok';
    await t.services.outbox.runDue();
    expect(sent).toEqual([reply?.text]);
    expect(await t.services.messages.get(must(reply).id)).toMatchObject({ delivery: { state: 'sent', attempts: 2 }, channelMessageId: 'out-1' });

    mode = 'fail';
    const second = await t.services.engine.handleInbound({ channel: 'telegram', externalId: '9', text: 'good morning' });
    await t.services.outbox.runDue();
    expect((await t.services.messages.get(must(second.reply).id))?.delivery).toMatchObject({ state: 'failed', error: 'chat not found' });
  });
});
