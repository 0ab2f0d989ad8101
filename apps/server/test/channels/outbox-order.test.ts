import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSendError } from '../../src/channels/channel-adapter.ts';
import { OutboxRepo } from '../../src/conversations/outbox-repo.ts';
import type { ConversationRecord } from '../../src/conversations/conversations-repo.ts';
import { eventually } from '../support/channel-desk.ts';
import { createTestDesk, must, sampleIntents, type TestDesk, withIntents } from '../support/desk-fixture.ts';
import { rawRow, rawRun } from '../support/raw-sql.ts';

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk();
  await withIntents(t, sampleIntents());
});
afterEach(() => t.close());

type Outcome = 'ok' | 'retry' | 'fail';

/**
 * A Telegram stand-in: records every send per chat, and keeps it open until the test releases it
 * (or answers at once with `auto`, except the sends `hold` keeps open). `outcome` decides how a send of a given text ends.
 */
function standIn(options: { auto?: boolean | (() => number); hold?: (text: string) => boolean; outcome?: (text: string) => Outcome } = {}) {
  const sent = new Map<string, string[]>();
  const open = new Map<string, () => void>();
  let inFlight = 0;
  let maxInFlight = 0;
  const perChat = new Map<string, number>();
  let overlapInChat = false;
  t.services.outbox.register({
    channel: 'telegram',
    async sendText(conversation: ConversationRecord, text: string) {
      const chat = conversation.externalId;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      if ((perChat.get(chat) ?? 0) > 1) overlapInChat = true;
      try {
        if (options.hold?.(text)) await new Promise<void>((resolve) => open.set(text, resolve));
        else if (typeof options.auto === 'function') await new Promise((resolve) => setTimeout(resolve, (options.auto as () => number)()));
        else if (!options.auto) await new Promise<void>((resolve) => open.set(text, resolve));
        const outcome = options.outcome?.(text) ?? 'ok';
        if (outcome === 'retry') throw new ChannelSendError('502 from Telegram', true);
        if (outcome === 'fail') throw new ChannelSendError('chat not found', false);
        sent.set(chat, [...(sent.get(chat) ?? []), text]);
        return { channelMessageId: `${chat}:${text}` };
      } finally {
        inFlight -= 1;
        perChat.set(chat, (perChat.get(chat) ?? 1) - 1);
      }
    },
  });
  return {
    sent: (chat: string) => sent.get(chat) ?? [],
    inFlight: () => [...open.keys()],
    release: async (text: string) => {
      await eventually(() => open.has(text), `the send of "${text}"`);
      open.get(text)?.();
      open.delete(text);
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get overlapInChat() {
      return overlapInChat;
    },
  };
}

/** A Telegram conversation whose bot greeting already went out (or failed): its outbox is empty. */
async function conversation(chat: string): Promise<ConversationRecord> {
  const { conversation } = await t.services.engine.handleInbound({ channel: 'telegram', externalId: chat, text: 'hello' });
  await rawRun(t.services.db, "UPDATE outbox SET state = 'failed' WHERE state = 'pending'");
  return conversation;
}

const queue = (c: ConversationRecord, text: string) =>
  t.services.db.transaction(() => t.services.engine.appendOutbound(c, { authorKind: 'agent', text, ticketId: null }));
const dueNow = async () => await rawRun(t.services.db, "UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending'", new Date(0).toISOString());
const delivery = async (id: string) => (await t.services.messages.get(id))?.delivery;

describe('outbox: in order within a conversation, in parallel across conversations', () => {
  it('sends each conversation’s messages in the order written while sending to several conversations at once', async () => {
    const chats = ['1', '2', '3', '4', '5'];
    const conversations = await Promise.all(chats.map(conversation));
    // Each conversation's first send is held until all five are open at once: parallel across
    // conversations, however fast the database hands the work out. The rest answer after 0–7 ms.
    const api = standIn({ auto: () => Math.floor(Math.random() * 8), hold: (text) => text.endsWith('-0') });
    const written = new Map<string, string[]>();
    for (let i = 0; i < 8; i += 1) {
      for (const c of conversations) {
        const text = `${c.externalId}-${i}`;
        await queue(c, text);
        written.set(c.externalId, [...(written.get(c.externalId) ?? []), text]);
      }
    }
    const running = t.services.outbox.runDue();
    await eventually(() => api.inFlight().length === chats.length, 'the five first sends open at once');
    for (const chat of chats) await api.release(`${chat}-0`);
    expect(await running).toBe(40);
    for (const chat of chats) expect(api.sent(chat), chat).toEqual(written.get(chat));
    expect(api.overlapInChat).toBe(false);
    expect(api.maxInFlight).toBe(5);
  });

  it('keeps sending to other conversations while one platform call hangs (started worker, new messages kicked in)', async () => {
    const [slow, quick] = await Promise.all([conversation('10'), conversation('20')]);
    const api = standIn();
    t.services.outbox.start();
    await queue(slow, 'slow-1');
    await queue(slow, 'slow-2');
    t.services.outbox.kick();
    await eventually(() => api.inFlight().includes('slow-1'), 'the slow send');
    const quickMessage = await queue(quick, 'quick-1');
    t.services.outbox.kick();
    await api.release('quick-1');
    await eventually(async () => (await delivery(quickMessage.id))?.state === 'sent', 'the other conversation');
    // The hanging send holds back only its own conversation.
    expect(api.inFlight()).toEqual(['slow-1']);
    expect(api.sent('10')).toEqual([]);
    await api.release('slow-1');
    await api.release('slow-2');
    await eventually(() => api.sent('10').length === 2, 'the slow conversation');
    expect(api.sent('10')).toEqual(['slow-1', 'slow-2']);
  });

  it('sends replies queued together in one transaction (written at its commit, several per statement) one after another, in order', async () => {
    const [a, b] = await Promise.all([conversation('50'), conversation('60')]);
    const api = standIn({ hold: () => true });
    t.services.outbox.start();
    const [a1, a2, a3, b1] = await t.services.db.transaction(async () => [
      await t.services.engine.appendOutbound(a, { authorKind: 'agent', text: 'a-1', ticketId: null }),
      await t.services.engine.appendOutbound(a, { authorKind: 'agent', text: 'a-2', ticketId: null }),
      await t.services.engine.appendOutbound(a, { authorKind: 'agent', text: 'a-3', ticketId: null }),
      await t.services.engine.appendOutbound(b, { authorKind: 'agent', text: 'b-1', ticketId: null }),
    ]);
    t.services.outbox.kick();
    // Each conversation's first reply goes out at once; a-2 waits behind a-1, not beside it.
    await eventually(() => api.inFlight().length === 2, 'the two conversations’ first sends');
    expect(api.inFlight().sort()).toEqual(['a-1', 'b-1']);
    await api.release('a-1');
    await api.release('a-2');
    await api.release('a-3');
    await api.release('b-1');
    await eventually(async () => (await delivery(a3.id))?.state === 'sent', 'the last reply of the first conversation');
    expect(api.sent('50')).toEqual(['a-1', 'a-2', 'a-3']);
    expect(api.sent('60')).toEqual(['b-1']);
    expect(api.overlapInChat).toBe(false);
    for (const m of [a1, a2, b1]) expect((await delivery(m.id))?.state).toBe('sent');
  });

  it('holds a conversation’s later messages back while an earlier one waits for a retry; a failed one does not block', async () => {
    const [a, b] = await Promise.all([conversation('30'), conversation('40')]);
    const outcomes: Record<string, Outcome> = { 'a-1': 'retry', 'a-3': 'fail' };
    const api = standIn({ auto: true, outcome: (text) => outcomes[text] ?? 'ok' });
    const a1 = await queue(a, 'a-1');
    const a2 = await queue(a, 'a-2');
    const b1 = await queue(b, 'b-1');
    await t.services.outbox.runDue();
    expect(await delivery(a1.id)).toMatchObject({ state: 'pending', attempts: 1 });
    expect(await delivery(a2.id)).toMatchObject({ state: 'pending' });
    expect((await delivery(a2.id))?.attempts ?? 0).toBe(0);
    expect(api.sent('40')).toEqual(['b-1']);
    expect((await delivery(b1.id))?.state).toBe('sent');
    // a2 is past due but held back: the worker's next wake-up is a1's retry, not now (no busy loop).
    const a1Row = await rawRow(t.services.db, 'SELECT next_attempt_at FROM outbox WHERE message_id = ?', a1.id) as { next_attempt_at: string };
    expect(a1Row.next_attempt_at > new Date().toISOString()).toBe(true);
    expect(await new OutboxRepo(t.services.db).nextDueAt()).toBe(a1Row.next_attempt_at);

    outcomes['a-1'] = 'ok';
    await dueNow();
    await t.services.outbox.runDue();
    expect(api.sent('30')).toEqual(['a-1', 'a-2']);

    const a3 = await queue(a, 'a-3');
    const a4 = await queue(a, 'a-4');
    await t.services.outbox.runDue();
    expect(await delivery(a3.id)).toMatchObject({ state: 'failed', error: 'chat not found' });
    expect((await delivery(a4.id))?.state).toBe('sent');
    expect(api.sent('30')).toEqual(['a-1', 'a-2', 'a-4']);
    expect(must(await t.services.messages.get(a4.id)).channelMessageId).toBe('30:a-4');
  });
});
