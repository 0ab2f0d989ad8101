/**
 * Seeds a large workspace into a DATA_DIR before the server starts: `tickets` web chat tickets with
 * `messagesPerTicket` messages each, through the repositories (so the change log holds them exactly
 * as if they had come in one by one), in one transaction. For the new-device figure of `bench:sync`
 * and the large-server Playwright test.
 *
 *   tsx apps/server/bench/seed-large.ts <DATA_DIR> [tickets=10000] [messagesPerTicket=10] [oldSolved=0]
 *
 * The first `oldSolved` tickets are solved and were last updated 200 days ago (what a phone evicts).
 *
 * Prints one JSON line: `{ tickets, messages, oldestTicketId, seconds }`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TicketPriority, TicketStatus } from '@desk/core';
import { ContactsRepo } from '../src/contacts/contacts-repo.ts';
import { ConversationsRepo } from '../src/conversations/conversations-repo.ts';
import { MessagesRepo } from '../src/conversations/messages-repo.ts';
import { openDatabase } from '../src/db/database.ts';
import { monotonicClock } from '../src/shared/clock.ts';
import { ChangeFeed } from '../src/sync/change-feed.ts';
import { TicketsRepo } from '../src/tickets/tickets-repo.ts';

/** Answers the id of the oldest seeded ticket (the last one a newest-first download reaches). */
export async function seedLarge(dataDir: string, tickets: number, messagesPerTicket: number, oldSolved = 0): Promise<string> {
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, 'desk.sqlite'));
  // Monotonic over a movable "now": the old tickets first, 200 days back, then today.
  let now = Date.now() - (oldSolved > 0 ? 200 * 86_400_000 : 0);
  const clock = monotonicClock(() => now);
  const changes = new ChangeFeed(db);
  const contacts = new ContactsRepo(db, changes, clock);
  const conversations = new ConversationsRepo(db, clock);
  const messages = new MessagesRepo(db, changes, clock);
  const repo = new TicketsRepo(db, changes, clock);
  const statuses: TicketStatus[] = ['new', 'open', 'pending', 'on-hold', 'solved'];
  const priorities: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
  let oldest = '';
  await db.transaction(async () => {
    for (let i = 0; i < tickets; i++) {
      if (i === oldSolved) now = Date.now();
      const externalId = randomUUID();
      const contact = await contacts.create({ name: `Customer ${i + 1}` }, { channel: 'webchat', externalId });
      const conversation = await conversations.create({ contactId: contact.id, channel: 'webchat', externalId });
      const ticket = await repo.create({
        subject: `Seeded ${i + 1}: cannot finish the checkout with my card`,
        status: i < oldSolved ? 'solved' : (statuses[i % statuses.length] as TicketStatus),
        priority: priorities[i % priorities.length] as TicketPriority,
        tags: [],
        assigneeId: null,
        contactId: contact.id,
        channel: 'webchat',
        conversationId: conversation.id,
        intentId: null,
        intentConfidence: null,
      });
      await conversations.setMode(conversation.id, 'desk', ticket.id);
      if (i === 0) oldest = ticket.id;
      for (let j = 0; j < messagesPerTicket; j++) {
        await messages.append({
          conversationId: conversation.id,
          channel: 'webchat',
          ticketId: ticket.id,
          authorKind: 'user',
          text: `Message ${j + 1} of ticket ${i + 1}: the payment page says my card was declined, but the bank says it was not.`,
        });
      }
    }
  });
  await db.close();
  return oldest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dataDir, tickets = '10000', perTicket = '10', oldSolved = '0'] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: seed-large.ts <DATA_DIR> [tickets] [messagesPerTicket]');
  const t0 = performance.now();
  const oldestTicketId = await seedLarge(dataDir, Number(tickets), Number(perTicket), Number(oldSolved));
  const seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  console.log(JSON.stringify({ tickets: Number(tickets), messages: Number(tickets) * Number(perTicket), oldestTicketId, seconds }));
}
