import type { Contact, Message, SyncChange, Ticket } from '@desk/core';
import { Dexie, type EntityTable } from 'dexie';
import type { DeskDb } from './db.ts';

/**
 * The ticket list's text search: a word index in its own small database (one per agent), so
 * searching 50,000 tickets is a few prefix reads of a multi-entry index, not a scan per keystroke.
 * A ticket's words come from its number, subject and messages; its requester's (name, e-mail,
 * phone digits, any run of them) are indexed once per contact. Fed by pulled pages; built in
 * full the first time a search runs on this device.
 */
interface TicketDoc {
  ticketId: string;
  contactId: string;
  subjectWords: string[];
  textWords: string[];
  words: string[];
}
interface PersonDoc {
  contactId: string;
  words: string[];
}

const MAX_TEXT_WORDS = 3000;
const BUILT = 'built';

export class SearchDb extends Dexie {
  docs!: EntityTable<TicketDoc, 'ticketId'>;
  people!: EntityTable<PersonDoc, 'contactId'>;
  meta!: EntityTable<{ key: string; value: unknown }, 'key'>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ docs: 'ticketId, contactId, *words', people: 'contactId, *words', meta: 'key' });
  }
}

const databases = new Map<string, SearchDb>();
/** The search database that goes with a local store. */
export function searchDbFor(db: DeskDb): SearchDb {
  const name = `${db.name}-search`;
  let found = databases.get(name);
  if (!found) {
    found = new SearchDb(name);
    databases.set(name, found);
  }
  return found;
}

/** Lower-case words without accents: "Não posso PAGAR!" → ["nao", "posso", "pagar"]. */
export function searchWords(text: string): string[] {
  const plain = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return [...new Set(plain.split(/[^\p{L}\p{N}@.]+/u).map((w) => w.replace(/^[.@]+|[.@]+$/g, '')).filter((w) => w.length > 0))];
}

/** A contact's words; every run of 3+ digits of the phone, so any part of the number finds it. */
export function contactWords(contact: Pick<Contact, 'name' | 'email' | 'phone'>): string[] {
  const words = new Set(searchWords(contact.name));
  if (contact.email) for (const w of [contact.email.toLowerCase(), ...searchWords(contact.email.replace(/[@.]/g, ' '))]) words.add(w);
  const digits = (contact.phone ?? '').replace(/\D/g, '');
  for (let i = 0; i + 3 <= digits.length; i += 1) words.add(digits.slice(i));
  return [...words];
}

function ticketBaseWords(ticket: Pick<Ticket, 'number' | 'subject'>): string[] {
  return [String(ticket.number), ...searchWords(ticket.subject)];
}

function withWords(doc: Omit<TicketDoc, 'words'>): TicketDoc {
  return { ...doc, words: [...new Set([...doc.subjectWords, ...doc.textWords])] };
}

function addText(doc: Omit<TicketDoc, 'words'>, text: string): void {
  if (doc.textWords.length >= MAX_TEXT_WORDS) return;
  const have = new Set(doc.textWords);
  for (const word of searchWords(text)) if (!have.has(word)) doc.textWords.push(word);
}

async function indexRows(sdb: SearchDb, tickets: Ticket[], messages: Message[], contacts: Contact[]): Promise<void> {
  await sdb.transaction('rw', sdb.docs, sdb.people, async () => {
    const ids = [...new Set([...tickets.map((t) => t.id), ...messages.flatMap((m) => (m.ticketId ? [m.ticketId] : []))])];
    const existing = await sdb.docs.bulkGet(ids);
    const docs = new Map<string, Omit<TicketDoc, 'words'>>();
    ids.forEach((id, i) => {
      const doc = existing[i];
      docs.set(id, doc ? { ...doc } : { ticketId: id, contactId: '', subjectWords: [], textWords: [] });
    });
    for (const ticket of tickets) {
      const doc = docs.get(ticket.id);
      if (doc) Object.assign(doc, { contactId: ticket.contactId, subjectWords: ticketBaseWords(ticket) });
    }
    for (const message of messages) {
      const doc = message.ticketId ? docs.get(message.ticketId) : undefined;
      if (doc && message.text) addText(doc, message.text);
      if (doc) for (const file of message.attachments) addText(doc, file.name);
    }
    await sdb.docs.bulkPut([...docs.values()].map(withWords));
    if (contacts.length > 0) await sdb.people.bulkPut(contacts.map((c) => ({ contactId: c.id, words: contactWords(c) })));
  });
}

/** Indexes one pulled page (tickets, messages and contacts in it). */
export async function indexChanges(sdb: SearchDb, changes: readonly SyncChange[]): Promise<void> {
  const puts = changes.filter((c) => c.op === 'put');
  const tickets = puts.filter((c) => c.entity === 'ticket').map((c) => c.data as Ticket);
  const messages = puts.filter((c) => c.entity === 'message').map((c) => c.data as Message);
  const contacts = puts.filter((c) => c.entity === 'contact').map((c) => c.data as Contact);
  if (tickets.length + messages.length + contacts.length > 0) await indexRows(sdb, tickets, messages, contacts);
}

/** Builds the index from the local store once per device (pulled pages keep it current after that). */
export async function ensureIndex(sdb: SearchDb, db: DeskDb): Promise<void> {
  if ((await sdb.meta.get(BUILT))?.value) return;
  // Marked first: pages pulled while the build runs are indexed by `indexPulled` too.
  await sdb.meta.put({ key: BUILT, value: true });
  const [tickets, contacts] = await Promise.all([db.tickets.toArray(), db.contacts.toArray()]);
  await indexRows(sdb, tickets, [], contacts);
  // Messages in slices, so a large store never holds them all in memory at once.
  let offset = 0;
  for (;;) {
    const slice = await db.messages.offset(offset).limit(5000).toArray();
    if (slice.length === 0) break;
    await indexRows(sdb, [], slice, []);
    offset += slice.length;
  }
}

/** Keeps a built index current with each pulled page (before it is built, the build covers it). */
export async function indexPulled(sdb: SearchDb, changes: readonly SyncChange[]): Promise<void> {
  if ((await sdb.meta.get(BUILT))?.value) await indexChanges(sdb, changes);
}

let queue: Promise<void> = Promise.resolve();
/**
 * Runs index work one task at a time, in the order it was asked for (pulled pages, evictions), so a
 * page that brings a dropped ticket back is never undone by its older eviction. Not awaited by the
 * sync: indexing is not on the path from a change's arrival to the screen. Answers the task's end.
 */
export function queueIndexing(task: () => Promise<void>): Promise<void> {
  const done = queue.then(task);
  queue = done.catch((error: unknown) => console.error('[desk] search indexing failed', error));
  return queue;
}

/**
 * Forgets tickets this device dropped (eviction): a search then neither finds nor counts them (the
 * server search covers them). A ticket that is back in the store by then (a change arrived) keeps
 * its words, and one that came back while this ran is indexed again from the store.
 */
export async function forgetTickets(sdb: SearchDb, db: DeskDb, ids: readonly string[]): Promise<void> {
  if (ids.length === 0 || !(await sdb.meta.get(BUILT))?.value) return;
  const absent = async () => {
    const rows = await db.tickets.bulkGet([...ids]);
    return ids.filter((_, i) => rows[i] === undefined);
  };
  const gone = await absent();
  await sdb.docs.bulkDelete(gone);
  const stillGone = new Set(await absent());
  const back = gone.filter((id) => !stillGone.has(id));
  if (back.length > 0) {
    const tickets = (await db.tickets.bulkGet(back)).filter((t) => t !== undefined);
    const messages = (
      await Promise.all(back.map((id) => db.messages.where('[ticketId+createdAt]').between([id, Dexie.minKey], [id, Dexie.maxKey]).toArray()))
    ).flat();
    await indexRows(sdb, tickets, messages, []);
  }
}

/** Ticket ids whose words (or requester's words) start with every word of the query. */
export async function searchTicketIds(sdb: SearchDb, query: string): Promise<Set<string>> {
  const terms = searchWords(query);
  let result = null as Set<string> | null;
  for (const term of terms) {
    const [direct, people] = await Promise.all([
      sdb.docs.where('words').startsWith(term).primaryKeys(),
      sdb.people.where('words').startsWith(term).primaryKeys(),
    ]);
    const viaPeople = people.length > 0 ? await sdb.docs.where('contactId').anyOf(people).primaryKeys() : [];
    const found = new Set<string>([...direct, ...viaPeople]);
    const previous: Set<string> | null = result;
    result = previous === null ? found : new Set([...previous].filter((id) => found.has(id)));
    if (result.size === 0) break;
  }
  return result ?? new Set();
}
