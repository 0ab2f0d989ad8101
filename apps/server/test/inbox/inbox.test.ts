import { dropFailingInserts, failInserts } from '../support/raw-sql.ts';
import type { Message, WebchatMessage } from '@desk/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeInboxEvent } from '../../src/channels/inbound/inbox-events.ts';
import { OutboxRepo } from '../../src/conversations/outbox-repo.ts';
import { InboxProcessor } from '../../src/inbox/inbox-processor.ts';
import { testDialect } from '../support/test-db.ts';
import { type ChannelDesk, channelEnv, eventually, signMeta, startChannelDesk, TELEGRAM_TOKEN, telegramSecret } from '../support/channel-desk.ts';
import { loadFixture, type Json } from '../support/channel-fixtures.ts';
import { type StandIn, startGraphStandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';

let telegram: StandIn;
let graph: StandIn;
const desks: ChannelDesk[] = [];

beforeAll(async () => {
  telegram = await startTelegramStandIn(TELEGRAM_TOKEN);
  graph = await startGraphStandIn({ phoneNumberId: '106540352242922', whatsapp: 'EAAG-whatsapp-access-token', page: 'p', instagram: 'i' });
});
afterAll(async () => {
  await Promise.all([telegram.close(), graph.close()]);
});
afterEach(async () => {
  for (const desk of desks.splice(0)) await desk.close({ remove: true });
  telegram.clear();
});

async function open(): Promise<ChannelDesk> {
  // No workers: the inbox is processed only when a test says so.
  const desk = await startChannelDesk({ env: channelEnv({ telegram, graph }), workers: false });
  desks.push(desk);
  return desk;
}

const telegramUpdate = (chat: number, messageId: number, text: string) =>
  JSON.stringify({
    update_id: chat * 1000 + messageId,
    message: { message_id: messageId, from: { id: chat, is_bot: false, first_name: `User ${chat}` }, chat: { id: chat, type: 'private' }, date: 1_700_000_000, text },
  });

/** A conversation an agent already holds (desk mode, an open ticket), as a hand-off leaves it. */
const inTicket = (desk: ChannelDesk, channel: 'telegram', externalId: string) =>
  desk.services.db.transaction(async () => {
    const s = desk.services;
    const contact = await s.contacts.create({ name: 'Sojan' }, { channel, externalId });
    const conversation = await s.conversations.create({ contactId: contact.id, channel, externalId });
    const ticket = await s.tickets.create({
      subject: 'Support', status: 'open', priority: 'normal', tags: [], assigneeId: null, contactId: contact.id, channel, conversationId: conversation.id, intentId: null, intentConfidence: null,
    });
    await s.conversations.setMode(conversation.id, 'desk', ticket.id);
  });

/** Posts straight to the app: nothing drains the inbox after the answer. */
const postRaw = (desk: ChannelDesk, path: string, body: string, headers: Record<string, string>) =>
  desk.app.request(`http://localhost${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

const userTexts = async (desk: ChannelDesk, chat: string) => (await desk.messagesOf('telegram', chat)).map((m) => `${m.authorKind}:${m.text}`);

describe('webhooks only fill the inbox', () => {
  it('acknowledge with one inbox row per event, before any message, contact or bot answer exists; a redelivery adds no row', async () => {
    const desk = await open();
    const body = telegramUpdate(71, 1, 'hello');
    for (let i = 0; i < 3; i += 1) expect((await postRaw(desk, '/channels/telegram/webhook', body, telegramSecret())).status).toBe(200);
    expect(await desk.count("SELECT COUNT(*) FROM inbox WHERE state = 'pending'")).toBe(1);
    expect(await desk.count('SELECT COUNT(*) FROM messages') + await desk.count('SELECT COUNT(*) FROM contacts')).toBe(0);

    await desk.services.inboxProcessor.drain();
    expect(await userTexts(desk, '71')).toEqual(['user:hello', expect.stringMatching(/^bot:Hello!/)]);
    expect(await desk.count("SELECT COUNT(*) FROM inbox WHERE state = 'done'")).toBe(1);
    // A redelivery after processing is still recognised: no second row, no second message.
    expect((await postRaw(desk, '/channels/telegram/webhook', body, telegramSecret())).status).toBe(200);
    await desk.services.inboxProcessor.drain();
    expect(await desk.count('SELECT COUNT(*) FROM inbox')).toBe(1);
    expect(await userTexts(desk, '71')).toHaveLength(2);
  });

  it('refuse a body the platform cannot have sent (400) and a wrong signature (403) without writing to the inbox', async () => {
    const desk = await open();
    expect((await postRaw(desk, '/channels/telegram/webhook', '{"message":{}}', telegramSecret())).status).toBe(400);
    const raw = JSON.stringify(loadFixture('whatsapp-text.json').body);
    expect((await postRaw(desk, '/channels/meta/webhook', raw, signMeta(raw, 'another_secret'))).status).toBe(403);
    expect(await desk.count('SELECT COUNT(*) FROM inbox')).toBe(0);
  });

  it('the web chat POST answers the id its message is then stored under, with the bot answer after it', async () => {
    const desk = await open();
    const visitorId = crypto.randomUUID();
    const res = await desk.app.request('http://localhost/channels/webchat/messages', {
      method: 'POST',
      body: JSON.stringify({ visitorId, text: 'hello' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(201);
    const { message } = (await res.json()) as { message: WebchatMessage };
    expect(message).toMatchObject({ authorKind: 'user', text: 'hello' });
    expect(await desk.count('SELECT COUNT(*) FROM messages')).toBe(0);
    await desk.services.inboxProcessor.drain();
    const stored = await desk.messagesOf('webchat', visitorId);
    expect(stored.map((m) => m.authorKind)).toEqual(['user', 'bot']);
    expect(stored[0]?.id).toBe(message.id);
  });
});

describe('the batched processor', () => {
  it('stores a batch in one commit, keeping each conversation in order', async () => {
    const desk = await open();
    const texts = ['hello', 'what are your opening hours', 'thanks'];
    for (const [i, text] of texts.entries()) {
      for (const chat of [81, 82]) await postRaw(desk, '/channels/telegram/webhook', telegramUpdate(chat, i + 1, text), telegramSecret());
    }
    const created: Message[] = [];
    desk.services.events.on('message.created', ({ message }) => created.push(message));
    expect(await desk.services.inboxProcessor.runBatch()).toBe(6);
    for (const chat of ['81', '82']) {
      expect((await desk.messagesOf('telegram', chat)).filter((m) => m.authorKind === 'user').map((m) => m.text)).toEqual(texts);
    }
    // Events go out after the commit, all of them.
    expect(created.filter((m) => m.authorKind === 'user')).toHaveLength(6);
  });

  it('while events stream in, lets the rows of the next moments join a batch instead of committing each arrival alone', async () => {
    const desk = await open();
    const s = desk.services;
    const batches: number[] = [];
    // Any run counts as recent here, so the stream is steady from the first run on.
    const processor = new InboxProcessor(
      { db: s.db, clock: s.clock, events: s.events, engine: s.engine, messages: s.messages, inbox: s.inboxRepo, decode: decodeInboxEvent, onBatch: ({ rows }) => batches.push(rows) },
      { gatherMs: 100, steadyWithinMs: 60_000 },
    );
    processor.start();
    await new Promise((resolve) => setImmediate(resolve));
    await processor.idle();
    try {
      await postRaw(desk, '/channels/telegram/webhook', telegramUpdate(85, 1, 'hello'), telegramSecret());
      processor.kick();
      // The next turn: a lone arrival would be in a batch of its own by now.
      await new Promise((resolve) => setImmediate(resolve));
      await postRaw(desk, '/channels/telegram/webhook', telegramUpdate(86, 1, 'hello'), telegramSecret());
      processor.kick();
      await eventually(async () => (await s.inboxRepo.hasPending()) === false && batches.length > 0, 'the inbox processed');
      await processor.idle();
      expect(batches).toEqual([2]);
    } finally {
      processor.stop();
    }
  });

  it('sets a poison event aside with its error after retries, holding only its own conversation meanwhile; admins see it', async () => {
    const desk = await open();
    await failInserts(desk.services.db, 'poison', 'messages', 'cannot store poison', "NEW.text = 'poison'");
    await postRaw(desk, '/channels/telegram/webhook', telegramUpdate(91, 1, 'poison'), telegramSecret());
    await postRaw(desk, '/channels/telegram/webhook', telegramUpdate(91, 2, 'hello'), telegramSecret());
    await postRaw(desk, '/channels/telegram/webhook', telegramUpdate(92, 1, 'hello'), telegramSecret());

    await desk.services.inboxProcessor.runBatch();
    // The other conversation went on; the poisoned one waits behind its first message.
    expect(await userTexts(desk, '92')).toHaveLength(2);
    expect(await userTexts(desk, '91')).toEqual([]);
    await desk.services.inboxProcessor.runBatch();
    await desk.services.inboxProcessor.runBatch();
    // Set aside after the third attempt: the conversation's next message is stored.
    expect(await userTexts(desk, '91')).toEqual(['user:hello', expect.stringMatching(/^bot:/)]);

    const list = await desk.request('/api/inbox/set-aside', { token: desk.admin.token });
    expect(list.status).toBe(200);
    const { events } = (await list.json()) as { events: { id: number; source: string; error: string; attempts: number; payload: string }[] };
    expect(events).toEqual([expect.objectContaining({ source: 'telegram', attempts: 3, error: expect.stringContaining('cannot store poison') })]);
    expect(JSON.parse(events[0]?.payload as string).message.text).toBe('poison');
    expect((await desk.request('/api/inbox/set-aside', { token: desk.agent.token })).status).toBe(403);

    // Once the cause is gone an admin sends it through again.
    await dropFailingInserts(desk.services.db, 'poison', 'messages');
    expect((await desk.request(`/api/inbox/set-aside/${events[0]?.id}/retry`, { method: 'POST', token: desk.admin.token })).status).toBe(200);
    await desk.services.inboxProcessor.drain();
    expect((await userTexts(desk, '91')).filter((t) => t.startsWith('user:'))).toEqual(['user:hello', 'user:poison']);
  });
  // SQLite: the running outbox takes its instance's queued rows (PostgreSQL instances queue concurrently: the claims decide there).
  it.skipIf(testDialect() !== 'sqlite')('hands the bot replies of a batch to the running outbox at its commit: they go out without any look at the outbox table', async () => {
    const desk = await startChannelDesk({ env: channelEnv({ telegram, graph }) });
    desks.push(desk);
    // Started: the outbox's first look at the table (on the turn after its start) is done.
    await new Promise((resolve) => setImmediate(resolve));
    await desk.services.outbox.idle();
    const claims = vi.spyOn(OutboxRepo.prototype, 'claim');
    // A slow platform: the outbox is still sending the first reply when the next batch commits.
    telegram.replyDelayMs = 300;
    try {
      await postRaw(desk, '/channels/telegram/webhook', telegramUpdate(90, 1, 'hello'), telegramSecret());
      desk.services.inboxProcessor.kick();
      const sendsTo = () => telegram.received((r) => r.path === `/bot${TELEGRAM_TOKEN}/sendMessage`).map((r) => String((r.json as { chat_id: unknown }).chat_id));
      await eventually(() => sendsTo().length === 1, 'the first reply on its way');
      const chats = [91, 92, 93, 94, 95, 96];
      for (const chat of chats) await postRaw(desk, '/channels/telegram/webhook', telegramUpdate(chat, 1, 'hello'), telegramSecret());
      desk.services.inboxProcessor.kick();
      await eventually(async () => (await desk.count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'")) === chats.length + 1, 'every bot reply sent');
      expect(sendsTo().sort()).toEqual(['90', ...chats.map(String)]);
      // The sends begin as their batch commits, before it announces the replies: that announcement must
      // not send the outbox to the table (a look that scans every pending row; with a backlog, ms each).
      expect(claims).not.toHaveBeenCalled();
    } finally {
      telegram.replyDelayMs = 0;
      claims.mockRestore();
    }
  });
});

describe('one transaction per inbound message', () => {
  it('stores a photo with its pending file, an unsupported type with its note, each announced and logged once', async () => {
    const desk = await open();
    // In a ticket: only messages agents can see are logged (bot talk is logged by its hand-off).
    await inTicket(desk, 'telegram', '23');
    const photo = loadFixture<Json>('telegram-photo.json').body;
    await postRaw(desk, '/channels/telegram/webhook', JSON.stringify(photo), telegramSecret());
    const location = { update_id: 77, message: { message_id: 2, from: { id: 23, is_bot: false, first_name: 'Sojan' }, chat: { id: 23, type: 'private' }, date: 1, location: { latitude: 1, longitude: 2 } } };
    await postRaw(desk, '/channels/telegram/webhook', JSON.stringify(location), telegramSecret());
    const announced: string[] = [];
    desk.services.events.on('message.created', ({ message }) => announced.push(`created:${message.authorKind}:${message.attachments.length}`));
    desk.services.events.on('message.updated', ({ message }) => announced.push(`updated:${message.authorKind}`));
    await desk.services.inboxProcessor.drain();

    const [first] = await desk.messagesOf('telegram', '23');
    expect(first?.attachments).toEqual([expect.objectContaining({ kind: 'image', download: { state: 'pending', error: null, attempts: 0 } })]);
    expect(await desk.count('SELECT COUNT(*) FROM channel_media_jobs WHERE message_id = ?', first?.id)).toBe(1);
    expect(await desk.count("SELECT COUNT(*) FROM change_log WHERE entity = 'message' AND entity_id = ?", first?.id)).toBe(1);
    expect(announced).toEqual(['created:user:1', 'created:user:0', 'created:system:0']);
    expect((await desk.messagesOf('telegram', '23')).map((m) => `${m.authorKind}:${m.text}`)).toEqual(['user:', 'user:', 'system:unsupported message type: location']);
  });
});

describe('GET /metrics', () => {
  it('is off without METRICS_TOKEN, refuses a wrong token, and shows the inbox, outbox, webhooks, streams and NLU', async () => {
    const off = await open();
    expect((await off.request('/metrics', { token: null })).status).toBe(404);

    const desk = await startChannelDesk({ env: { ...channelEnv({ telegram, graph }), METRICS_TOKEN: 'scrape-me' }, workers: false });
    desks.push(desk);
    expect((await desk.request('/metrics', { token: null })).status).toBe(401);
    expect((await desk.request('/metrics', { token: 'nope' })).status).toBe(401);
    await postRaw(desk, '/channels/telegram/webhook', telegramUpdate(61, 1, 'hello'), telegramSecret());
    await postRaw(desk, '/channels/telegram/webhook', telegramUpdate(61, 2, 'hello again'), telegramSecret());
    const scrape = async () => {
      const res = await desk.request('/metrics', { token: 'scrape-me' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text();
    };
    const before = await scrape();
    expect(before).toMatch(/^desk_inbox_depth 2$/m);
    expect(before).toMatch(/^desk_inbox_oldest_age_seconds [\d.e-]+$/m);
    expect(before).toMatch(/^desk_webhook_duration_seconds_count\{source="telegram",status="200"\} 2$/m);
    expect(before).toMatch(/^desk_sse_clients\{stream="webchat"\} 0$/m);

    await desk.services.inboxProcessor.drain();
    const after = await scrape();
    expect(after).toMatch(/^desk_inbox_depth 0$/m);
    expect(after).toMatch(/^desk_inbox_processed_messages_total 2$/m);
    expect(after).toMatch(/^desk_outbox_messages\{channel="telegram",state="pending"\} 2$/m);
    expect(after).toMatch(/^desk_nlu_duration_seconds_count 2$/m);
  });
});
