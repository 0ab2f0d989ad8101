import type { Agent, Contact, Intent, Message } from '@desk/core';
import type { DeskDb, LocalRead, LocalTicket, Notice } from './db.ts';
import { othersActivity } from './activity-data.ts';
import { ticketMessages } from './queries.ts';

/**
 * What the ticket screens read from the local store, as plain queries (run them inside
 * `useLiveQuery` to follow changes). Features never call Dexie themselves: the tables, indexes and
 * key shapes stay this folder's business.
 */

export function ticketById(db: DeskDb, id: string): Promise<LocalTicket | undefined> {
  return db.tickets.get(id);
}

export function contactById(db: DeskDb, id: string): Promise<Contact | undefined> {
  return db.contacts.get(id);
}

export function intentById(db: DeskDb, id: string): Promise<Intent | undefined> {
  return db.intents.get(id);
}

/** The contact's other tickets, newest number first. */
export function otherTicketsOf(db: DeskDb, contactId: string, exceptTicketId: string): Promise<LocalTicket[]> {
  return db.tickets
    .where('contactId')
    .equals(contactId)
    .filter((t) => t.id !== exceptTicketId)
    .reverse()
    .sortBy('number');
}

/** The agent's read mark on a ticket and the last change others made to it. */
export async function readState(db: DeskDb, ticketId: string, agentId: string): Promise<{ loaded: true; read: LocalRead | undefined; othersAt: string | undefined }> {
  const [read, activity] = await Promise.all([db.reads.get(`${ticketId}:${agentId}`), othersActivity(db)]);
  return { loaded: true, read, othersAt: activity[ticketId] };
}

/** What the ticket view needs for its first paint, read together: one render instead of one per read. */
export interface TicketBundle {
  ticket: LocalTicket | undefined;
  messages: Message[];
  contact: Contact | undefined;
  /** The name of the intent that opened the ticket. */
  intentName: string | undefined;
  read: LocalRead | undefined;
  othersAt: string | undefined;
}

/** One read transaction (Dexie carries it into the helpers' reads), so the parts agree with each other. */
export function readTicketBundle(db: DeskDb, ticketId: string, agentId: string): Promise<TicketBundle> {
  return db.transaction('r', [db.tickets, db.messages, db.reads, db.meta, db.contacts, db.intents], async () => {
    const [ticket, messages, { read, othersAt }] = await Promise.all([ticketById(db, ticketId), ticketMessages(db, ticketId), readState(db, ticketId, agentId)]);
    const [contact, intent] = await Promise.all([ticket ? contactById(db, ticket.contactId) : undefined, ticket?.intentId ? intentById(db, ticket.intentId) : undefined]);
    return { ticket, messages, contact, intentName: intent?.name, read, othersAt };
  });
}

/**
 * The bundle of a ticket whose list row is on screen: the row holds everything but the messages
 * (read by the list's live query, so as current as the list), and only the messages are read (one
 * index range, about half the cost of the whole bundle's transaction on a phone-class CPU).
 */
export async function readBundleOfRow(db: DeskDb, row: RowData): Promise<TicketBundle> {
  const messages = await ticketMessages(db, row.ticket.id);
  return { ticket: row.ticket, messages, contact: row.contact, intentName: row.intentName, read: row.read, othersAt: row.othersAt };
}

/** Ids of what is still waiting for the server on a ticket (a reply's message id, or `#<mutation id>`); read marks aside. */
export async function pendingOnTicket(db: DeskDb, ticketId: string): Promise<string[]> {
  const entries = await db.outbox.filter((entry) => (entry.args as { ticketId?: string }).ticketId === ticketId && entry.name !== 'ticket.markRead').toArray();
  return entries.map((e) => (e.args as { messageId?: string }).messageId ?? `#${e.id}`);
}

export function ticketsByIds(db: DeskDb, ids: readonly string[]): Promise<(LocalTicket | undefined)[]> {
  return db.tickets.bulkGet([...ids]);
}

export function agentsByName(db: DeskDb): Promise<Agent[]> {
  return db.agents.orderBy('name').toArray();
}

export function allAgents(db: DeskDb): Promise<Agent[]> {
  return db.agents.toArray();
}

/** A row of the ticket list. */
export interface RowData {
  ticket: LocalTicket;
  contact: Contact | undefined;
  last: Message | undefined;
  read: LocalRead | undefined;
  othersAt: string | undefined;
  /** The name of the intent that opened the ticket (the end of its subject). */
  intentName: string | undefined;
}

/** What a list row shows besides the ticket itself. */
export type RowDecoration = Omit<RowData, 'ticket'>;

/**
 * The rest of each row: contact, last message, read mark, others' activity, intent name. Kept apart
 * from the tickets so that a change to a ticket (an action, a carried change) re-reads one bulkGet,
 * not a query per row: that is the time between the put and the paint.
 */
export async function rowDecorations(
  db: DeskDb,
  tickets: readonly { id: string; contactId: string; intentId: string | null }[],
  agentId: string,
): Promise<Map<string, RowDecoration>> {
  const intentIds = [...new Set(tickets.flatMap((t) => (t.intentId ? [t.intentId] : [])))];
  // One read transaction for the whole page of rows: a transaction per read (about 15 for ten rows)
  // was most of the cost on a phone-class CPU.
  // Each row's newest message is one more bulkGet (local/last-messages.ts), not a query per row.
  const [contacts, reads, lasts, activity, intents] = await db.transaction('r', [db.contacts, db.reads, db.lastMessages, db.meta, db.intents], () =>
    Promise.all([
      db.contacts.bulkGet(tickets.map((t) => t.contactId)),
      db.reads.bulkGet(tickets.map((t) => `${t.id}:${agentId}`)),
      db.lastMessages.bulkGet(tickets.map((t) => t.id)),
      othersActivity(db),
      db.intents.bulkGet(intentIds),
    ]),
  );
  const intentName = new Map(intents.flatMap((intent) => (intent ? [[intent.id, intent.name] as const] : [])));
  const map = new Map<string, RowDecoration>();
  tickets.forEach((ticket, i) => {
    map.set(ticket.id, {
      contact: contacts[i],
      read: reads[i],
      last: lasts[i],
      othersAt: activity[ticket.id],
      intentName: ticket.intentId ? intentName.get(ticket.intentId) : undefined,
    });
  });
  return map;
}

/** The rows of a window of ticket ids: each ticket with its decoration. */
export async function listRows(db: DeskDb, ids: readonly string[], agentId: string): Promise<Map<string, RowData>> {
  const tickets = (await db.tickets.bulkGet([...ids])).filter((t): t is LocalTicket => t !== undefined);
  const decorations = await rowDecorations(db, tickets, agentId);
  return joinRows(tickets, decorations);
}

/** Tickets with their decorations (a ticket whose decoration is not read yet shows without it). */
/**
 * Rows from tickets and their decorations. With `previous` (the rows this list showed last), a row whose
 * ticket and decoration are the very same objects keeps its object: only the rows that changed re-render.
 */
export function joinRows(tickets: readonly (LocalTicket | undefined)[], decorations: Map<string, RowDecoration>, previous?: ReadonlyMap<string, RowData>): Map<string, RowData> {
  const map = new Map<string, RowData>();
  for (const ticket of tickets) {
    if (!ticket) continue;
    const decoration = decorations.get(ticket.id);
    const row: RowData = {
      ticket,
      contact: decoration?.contact,
      read: decoration?.read,
      last: decoration?.last,
      othersAt: decoration?.othersAt,
      intentName: decoration?.intentName,
    };
    const before = previous?.get(ticket.id);
    map.set(ticket.id, before && sameRow(before, row) ? before : row);
  }
  return map;
}

function sameRow(a: RowData, b: RowData): boolean {
  return a.ticket === b.ticket && a.contact === b.contact && a.read === b.read && a.last === b.last && a.othersAt === b.othersAt && a.intentName === b.intentName;
}

/** Changes the server refused, oldest first. */
export function notices(db: DeskDb): Promise<Notice[]> {
  return db.notices.orderBy('createdAt').toArray();
}

export async function dismissNotice(db: DeskDb, id: number): Promise<void> {
  await db.notices.delete(id);
}
