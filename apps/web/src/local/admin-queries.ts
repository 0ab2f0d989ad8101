import { type Agent, type Contact, isActiveStatus, type MutationError } from '@desk/core';
import { liveQuery } from 'dexie';
import type { DeskDb } from './db.ts';

/**
 * Reads for the administration pages (users, team, intents), over the synced tables. Kept apart
 * from the ticket queries; framework-free like the rest of the local store.
 */

/** Every contact id, ordered by name (read from the `name` index: keys only, no rows). */
export function contactIdsByName(db: DeskDb): Promise<string[]> {
  return db.contacts.orderBy('name').primaryKeys();
}

/**
 * Contact ids matching `matches`, ordered by name. One bulk read of the table (IndexedDB getAll)
 * and an in-memory filter: faster than a cursor walk for a substring search over 50,000 rows.
 */
export async function contactIdsWhere(db: DeskDb, matches: (contact: Contact) => boolean): Promise<string[]> {
  const found = (await db.contacts.toArray()).filter(matches);
  found.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  return found.map((contact) => contact.id);
}

/** The contacts with these ids, in that order (missing ones left out). */
export async function contactsByIds(db: DeskDb, ids: readonly string[]): Promise<Contact[]> {
  return (await db.contacts.bulkGet([...ids])).filter((c): c is Contact => c !== undefined);
}

/** Tickets below `solved` per contact, for the given contacts (the `contactId` index). */
export async function openTicketCounts(db: DeskDb, contactIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await Promise.all(
    contactIds.map(async (id) => {
      counts.set(id, await db.tickets.where('contactId').equals(id).filter((t) => isActiveStatus(t.status)).count());
    }),
  );
  return counts;
}

/** All of a contact's tickets, whatever their status. */
export function ticketCountOf(db: DeskDb, contactId: string): Promise<number> {
  return db.tickets.where('contactId').equals(contactId).count();
}

/** The other contact holding this E.164 phone, if this device knows one. */
export async function contactWithPhone(db: DeskDb, phone: string, exceptId?: string): Promise<Contact | undefined> {
  const holders = await db.contacts.where('phone').equals(phone).toArray();
  return holders.find((c) => c.id !== exceptId);
}

/** Agents by name (active and not). */
export function agentsByName(db: DeskDb): Promise<Agent[]> {
  return db.agents.orderBy('name').toArray();
}

export type MutationOutcome = { status: 'applied' } | { status: 'pending' } | { status: 'rejected'; error: MutationError };

/**
 * What became of a queued mutation: `applied` once the server accepted it, `rejected` with the
 * server's reason (the sync layer has already undone it on screen), or `pending` when no answer
 * came within `timeoutMs` (offline: it stays queued and syncs later).
 */
export function mutationOutcome(db: DeskDb, mutationId: number, since: string, timeoutMs = 4000): Promise<MutationOutcome> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: MutationOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ status: 'pending' }), timeoutMs);
    const subscription = liveQuery(async () => {
      const entry = await db.outbox.get(mutationId);
      const notice = await db.notices.filter((n) => n.mutationId === mutationId && n.createdAt >= since).first();
      return { entry, notice };
    }).subscribe({
      next: ({ entry, notice }) => {
        if (notice) finish({ status: 'rejected', error: notice.error });
        else if (!entry || entry.pushedAt) finish({ status: 'applied' });
      },
      error: () => finish({ status: 'pending' }),
    });
  });
}
