import { randomUUID } from 'node:crypto';
import type { Message, SnapshotResponse, SyncChange } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyDeliveryReport } from '../../src/channels/inbound/delivery-reports.ts';
import { createTestDesk, must, sampleIntents, type TestDesk, withIntents } from '../support/desk-fixture.ts';
import { rawRow } from '../support/raw-sql.ts';
import { pull, push } from './sync-helpers.ts';

// Bot talk in a conversation no ticket holds stays out of the change log; the hand-off logs it.
// What agents get must not change: the ticket carries the whole bot conversation, with each
// reply's latest delivery state, whether the agent follows the log, bootstraps or is a new device.

let t: TestDesk;
let sends = 0;
beforeEach(async () => {
  t = await createTestDesk();
  await withIntents(t, sampleIntents());
  await t.services.integration.put({ subject: 'Support', tags: [], enabled: true });
  await t.services.retrainBot();
  sends = 0;
  // Telegram's stand-in: every send is accepted.
  t.services.outbox.register({ channel: 'telegram', sendText: async () => ({ channelMessageId: `tg-out-${++sends}` }) });
});
afterEach(() => t.close());

const CHAT = '7001';
const say = (text: string) => t.services.engine.handleInbound({ channel: 'telegram', externalId: CHAT, text });
/** Runs the outbox until nothing is due: every queued reply reached the platform and was marked sent. */
const sendAll = async () => {
  while ((await t.services.outbox.runDue()) > 0);
};
const messagesIn = (changes: SyncChange[]) => new Map(changes.filter((c) => c.entity === 'message').map((c) => [c.id, c.data as Message]));
const delivered = (message: Message) =>
  t.services.db.transaction(() => applyDeliveryReport(t.services.messages, { channel: 'telegram', channelMessageId: must(message.channelMessageId), state: 'delivered', error: null }));
const snapshotOf = async (ticketId: string) => (await (await t.request(`/api/sync/snapshot?part=message&ticketId=${ticketId}`)).json()) as SnapshotResponse;

describe('bot talk and the change log', () => {
  it('gives agents nothing of bot talk without a ticket, then the whole conversation with its delivery states once a hand-off opens one', async () => {
    const { cursor } = (await pull(t, 0)).body;
    const hello = await say('hello');
    await sendAll();
    const hours = await say('what time do you open?');
    await sendAll();
    const helloReply = must(await t.services.messages.get(must(hello.reply).id));
    expect(helloReply.delivery?.state).toBe('sent');
    await delivered(helloReply);

    // Nothing an agent could see yet: nothing in their pull, and not one message row written.
    expect(messagesIn((await pull(t, cursor)).body.changes).size).toBe(0);
    expect(await rawRow(t.services.db, "SELECT COUNT(*) AS n FROM change_log WHERE entity = 'message'")).toEqual({ n: 0 });

    const handOff = await say('can I talk to a real person please');
    const ticket = must(handOff.ticket);
    // The agent online (following from its cursor) gets the ticket and every message in it, as stored.
    const online = (await pull(t, cursor)).body;
    expect(online.changes.some((c) => c.entity === 'ticket' && c.id === ticket.id)).toBe(true);
    const transcript = await t.services.messages.listByTicket(ticket.id);
    expect(transcript.map((m) => m.id)).toEqual(expect.arrayContaining([hello.message.id, helloReply.id, hours.message.id, must(hours.reply).id, handOff.message.id]));
    const pulled = messagesIn(online.changes);
    for (const message of transcript) expect(pulled.get(message.id)).toEqual(message);
    expect(pulled.get(helloReply.id)?.delivery?.state).toBe('delivered');
    expect(pulled.get(must(hours.reply).id)?.delivery?.state).toBe('sent');

    // The hand-off's own answer goes out after the ticket exists: its "sent" reaches the agent too.
    const answer = must(handOff.reply);
    expect(pulled.get(answer.id)?.delivery?.state).toBe('pending');
    await sendAll();
    const later = messagesIn((await pull(t, online.cursor)).body.changes);
    expect(later.get(answer.id)?.delivery).toMatchObject({ state: 'sent' });

    // An agent back from offline (bootstrap) and a new device (snapshot) get the same transcript.
    const final = await t.services.messages.listByTicket(ticket.id);
    const bootstrap = messagesIn((await pull(t, 0)).body.changes);
    const snapshot = messagesIn((await snapshotOf(ticket.id)).changes);
    for (const message of final) {
      expect(bootstrap.get(message.id)).toEqual(message);
      expect(snapshot.get(message.id)).toEqual(message);
    }
    expect(snapshot.size).toBe(final.length);
  });

  it("shows an agent's reply in a ticket pending, then sent, then delivered", async () => {
    const ticket = must((await say('can I talk to a real person please')).ticket);
    await sendAll();
    const { cursor } = (await pull(t, 0)).body;
    const messageId = randomUUID();
    expect((await push(t, 'client-bot-talk', [{ id: 1, name: 'ticket.reply', args: { ticketId: ticket.id, messageId, text: 'Hi, Ana here' } }])).status).toBe(200);
    const queued = (await pull(t, cursor)).body;
    expect(messagesIn(queued.changes).get(messageId)).toMatchObject({ text: 'Hi, Ana here', ticketId: ticket.id, delivery: { state: 'pending' } });

    await sendAll();
    const sent = (await pull(t, queued.cursor)).body;
    const reply = must(messagesIn(sent.changes).get(messageId));
    expect(reply.delivery?.state).toBe('sent');

    await delivered(reply);
    expect(messagesIn((await pull(t, sent.cursor)).body.changes).get(messageId)?.delivery?.state).toBe('delivered');
    expect(messagesIn((await snapshotOf(ticket.id)).changes).get(messageId)?.delivery?.state).toBe('delivered');
  });
});
