import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversationClock } from '../../src/conversations/conversation-clock.ts';
import { MessagesRepo } from '../../src/conversations/messages-repo.ts';
import type { Services } from '../../src/services.ts';
import { wallClock } from '../../src/shared/clock.ts';
import { TicketsRepo } from '../../src/tickets/tickets-repo.ts';
import { openTestServices } from '../support/desk-fixture.ts';
import { removeTestData } from '../support/test-db.ts';

/** What "within a few ms of real time" allows on a shared machine (the old clock ran seconds ahead). */
const SLACK_MS = 50;

let services: Services;
let dataDir: string;

beforeEach(async () => {
  ({ services, dataDir } = await openTestServices({ prefix: 'desk-clock-' }));
});
afterEach(async () => {
  await services.db.close();
  await removeTestData(dataDir);
});

async function conversation(name: string) {
  const externalId = `${name}-${Math.random().toString(36).slice(2)}`;
  const contact = await services.contacts.create({ name }, { channel: 'telegram', externalId });
  return services.conversations.create({ contactId: contact.id, channel: 'telegram', externalId });
}

/** `count` messages appended to one conversation as fast as the database takes them (one transaction). */
async function burst(conversationId: string, count: number) {
  return services.db.transaction(async () => {
    const stored = [];
    for (let i = 0; i < count; i++) {
      stored.push((await services.messages.append({ conversationId, channel: 'telegram', ticketId: null, authorKind: i % 2 ? 'bot' : 'user', text: `m${i}` })).message);
    }
    return stored;
  });
}

describe("the server's clock at thousands of stamps a second", () => {
  it('stays on real time after 10,000 stamps in a tight loop', () => {
    let last = '';
    for (let i = 0; i < 10_000; i++) last = services.clock();
    expect(Date.parse(last) - Date.now()).toBeLessThanOrEqual(SLACK_MS);
  });

  it("keeps a conversation's messages in the order they were written, even within one millisecond", async () => {
    const { id } = await conversation('Ordered');
    const stored = await burst(id, 300);
    const times = stored.map((m) => m.createdAt);
    for (let i = 1; i < times.length; i++) expect((times[i] as string) > (times[i - 1] as string), `message ${i} after message ${i - 1}`).toBe(true);
    // Read back, the transcript's order (insertion) and the time order (what the PWA sorts by) agree.
    const listed = await services.messages.listByConversation(id);
    expect(listed.map((m) => m.id)).toEqual(stored.map((m) => m.id));
    expect([...listed].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1)).map((m) => m.id)).toEqual(stored.map((m) => m.id));
  });

  it("does not let one busy conversation push another's messages, or the server's other stamps, into the future", async () => {
    const busy = await conversation('Busy');
    const quiet = await conversation('Quiet');
    await burst(busy.id, 2_000);
    const [message] = await burst(quiet.id, 1);
    expect(Date.parse(message?.createdAt as string) - Date.now()).toBeLessThanOrEqual(SLACK_MS);
    expect(Date.parse(services.clock()) - Date.now()).toBeLessThanOrEqual(SLACK_MS);
  });

  it('opens a ticket between the messages before it and the ones after it, within one millisecond', async () => {
    // The PWA shows a message at or before the ticket's `createdAt` as the bot's part of the transcript.
    const frozen = Date.parse('2026-11-30T17:00:00.000Z');
    const inConversation = conversationClock(() => frozen);
    const messages = new MessagesRepo(services.db, services.changes, inConversation);
    const tickets = new TicketsRepo(services.db, services.changes, wallClock(() => frozen), inConversation);
    const { id: conversationId, contactId } = await conversation('Hand-off');
    const append = async (authorKind: 'user' | 'bot' | 'system', ticketId: string | null) =>
      (await messages.append({ conversationId, channel: 'telegram', ticketId, authorKind, text: authorKind })).message;
    const question = await append('user', null);
    const answer = await append('bot', null);
    const ticket = await services.db.transaction(() =>
      tickets.create({
        subject: 'Help', status: 'new', priority: 'normal', tags: [], assigneeId: null, contactId, channel: 'telegram', conversationId, intentId: null, intentConfidence: null,
      }),
    );
    const note = await append('system', ticket.id);
    const handoffAt = ticket.createdAt;
    expect([question, answer].every((m) => m.createdAt <= handoffAt)).toBe(true);
    expect(note.createdAt > handoffAt).toBe(true);
    // Its own updates are plain wall time.
    expect((await tickets.touch(ticket.id)).updatedAt).toBe(new Date(frozen).toISOString());
  });
});
