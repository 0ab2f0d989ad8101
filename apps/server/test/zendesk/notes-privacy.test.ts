import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChannelDesk, eventually, TELEGRAM_TOKEN } from '../support/channel-desk.ts';
import { type StandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';
import { FakeZendesk } from '../support/zendesk/fake-zendesk.ts';
import { connectSupport, routeTalkToAPerson, startZendeskDesk, telegramUser } from '../support/zendesk/zendesk-desk.ts';

/**
 * Internal notes never reach Zendesk: not in the transcript of a later hand-off, not as a comment,
 * even when written on the conversation's earlier Desk ticket while Zendesk holds the conversation.
 */

let zendesk: FakeZendesk;
let telegram: StandIn;
let desk: ChannelDesk;

beforeAll(async () => {
  telegram = await startTelegramStandIn(TELEGRAM_TOKEN);
});
afterAll(() => telegram.close());
beforeEach(async () => {
  zendesk = await FakeZendesk.start();
  desk = await startZendeskDesk({ zendesk, standIns: { telegram } });
});
afterEach(async () => {
  await desk.close({ remove: true });
  await zendesk.close();
  telegram.clear();
});

describe('Zendesk Support and internal notes', () => {
  it('relays the user but never a note, neither in the transcript nor as a comment', async () => {
    const user = telegramUser(desk, telegram, 5353);
    let mutation = 0;
    const clientId = randomUUID();
    const act = async (name: string, args: Record<string, unknown>) => {
      mutation += 1;
      const res = await desk.request('/api/sync/push', { method: 'POST', json: { clientId, mutations: [{ id: mutation, name, args }] } });
      expect(((await res.json()) as { results: { status: string }[] }).results[0]?.status).toBe('applied');
    };

    // First a Desk ticket, with a note and a reply, then solved.
    await routeTalkToAPerson(desk, 'desk');
    await user.say('I want to talk to a person');
    const deskTicket = await eventually(() => desk.ticketOf('telegram', '5353'), 'the Desk ticket');
    await act('ticket.note', { ticketId: deskTicket.id, messageId: randomUUID(), text: 'SECRET-NOTE-1: flagged for fraud' });
    await act('ticket.reply', { ticketId: deskTicket.id, messageId: randomUUID(), text: 'Hello from the Desk' });
    await act('ticket.setStatus', { ticketId: deskTicket.id, status: 'solved' });

    // Then Zendesk Support takes the conversation.
    expect(await connectSupport(desk, zendesk)).toMatchObject({ ok: true });
    await routeTalkToAPerson(desk, 'zendesk_support');
    await user.say('I want to talk to a person again');
    const ticket = await eventually(() => zendesk.ticketList()[0], 'the Zendesk ticket');
    await eventually(async () => (await desk.services.conversations.findByIdentity('telegram', '5353'))?.mode === 'zendesk', 'zendesk mode');

    // A note on the earlier Desk ticket while Zendesk holds the conversation; then the user writes.
    await act('ticket.note', { ticketId: deskTicket.id, messageId: randomUUID(), text: 'SECRET-NOTE-2: still suspicious' });
    await user.say('any news about my order?');
    await eventually(() => ticket.comments.some((c) => c.body.includes('any news about my order?')), 'the follow-up comment');
    await eventually(async () => (await desk.count("SELECT COUNT(*) FROM handoff_jobs WHERE state = 'pending'")) === 0, 'the jobs done');

    const sentToZendesk = zendesk.received(() => true).map((r) => JSON.stringify(r.json ?? ''));
    expect(sentToZendesk.filter((body) => body.includes('SECRET-NOTE'))).toEqual([]);
    expect(ticket.comments.filter((c) => c.body.includes('SECRET-NOTE'))).toEqual([]);
    expect((await user.received()).filter((text) => text.includes('SECRET-NOTE'))).toEqual([]);
  });
});
