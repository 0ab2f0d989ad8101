import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import { statement } from '../db/statements.ts';
import type { InboxWriter } from './inbox-writer.ts';

/** Where an inbox row came from: one webhook each, and the web chat's POST. */
export const INBOX_SOURCES = ['telegram', 'meta', 'smooch', 'webchat'] as const;
export type InboxSource = (typeof INBOX_SOURCES)[number];

export interface InboxRow {
  id: number;
  source: InboxSource;
  eventId: string;
  /** The raw event as the platform sent it (the web chat: the validated visitor message). */
  payload: string;
  attempts: number;
  receivedAt: string;
}

export interface SetAsideRow extends InboxRow {
  error: string;
  processedAt: string;
}

interface Row {
  id: number;
  source: InboxSource;
  event_id: string;
  payload: string;
  attempts: number;
  error: string | null;
  received_at: string;
  processed_at: string | null;
}

/** An inbox row's insert on SQLite, deduplicated on (source, event id); also the webhooks' writer's (inbox-writer.ts). */
export const INBOX_INSERT_SQL = 'INSERT INTO inbox (source, event_id, payload, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING';

const pendingRows = prepared((q, p: { limit: number }) => q.selectFrom('inbox').selectAll().where('state', '=', 'pending').orderBy('id').limit(p.limit));

/** SQLite: a batch's rows marked done by one statement compiled once, their ids as one JSON array. */
const markDoneOnSqlite = prepared((q, p: { ids: string; now: string }) =>
  q
    .updateTable('inbox')
    .set((eb) => ({ state: 'done', payload: '', processed_at: p.now, attempts: eb('attempts', '+', 1), error: null }))
    .where('id', 'in', sql<number>`(SELECT value FROM json_each(${p.ids}))`),
);

const onePending = prepared((q) => q.selectFrom('inbox').select('id').where('state', '=', 'pending').limit(1));

const fromRow = (r: Row): InboxRow => ({ id: Number(r.id), source: r.source, eventId: r.event_id, payload: r.payload, attempts: Number(r.attempts), receivedAt: r.received_at });

/**
 * The durable inbox: a webhook's only write. Deduplicated on (source, platform event id), so a
 * platform's redelivery of an event already received is acknowledged without a second row.
 */
export class InboxRepo {
  /**
   * `writer`: SQLite shared with the processing thread (lifecycle/processing-thread.ts), the webhooks'
   * own connection; `store`: where the inbox table is, the database's own or its own file then
   * (inbox-file.ts).
   */
  constructor(
    private readonly db: Db,
    private readonly writer: InboxWriter | null = null,
    private readonly store: Db = db,
  ) {}

  /** The inbox is in a file of its own: its writes are not part of the database's transactions. */
  get separate(): boolean {
    return this.store !== this.db;
  }

  /** Answers false when the event was already in the inbox (a redelivery). */
  async insert(source: InboxSource, eventId: string, payload: string, receivedAt: string): Promise<boolean> {
    if (this.writer && (this.separate || !this.db.inTransaction)) return this.writer.insert(source, eventId, payload, receivedAt);
    // SQLite with no transaction open: the one insert runs at once, as an autocommit statement (this is
    // every webhook's write, the acknowledgement waits for it). Inside a transaction (a caller's, or the
    // processor's batch holding the connection) it goes through the query layer, which waits its turn.
    const sqlite = this.store.sqlite;
    if (sqlite && !sqlite.inTransaction) return statement(sqlite, INBOX_INSERT_SQL).run(source, eventId, payload, receivedAt).changes > 0;
    const result = await this.store.q
      .insertInto('inbox')
      .values({ source, event_id: eventId, payload, received_at: receivedAt })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** The oldest pending rows, in arrival order. */
  async takePending(limit: number): Promise<InboxRow[]> {
    const rows = await pendingRows.all(this.store, { limit });
    return (rows as Row[]).map(fromRow);
  }

  /** Processed (a batch's rows, in one statement): only the dedupe key is kept (the payload is now in the messages it produced). */
  async markDone(ids: number[], now: string): Promise<void> {
    if (ids.length === 0) return;
    if (this.store.dialect === 'sqlite') {
      await markDoneOnSqlite.run(this.store, { ids: JSON.stringify(ids), now });
      return;
    }
    await this.store.q
      .updateTable('inbox')
      .set((eb) => ({ state: 'done', payload: '', processed_at: now, attempts: eb('attempts', '+', 1), error: null }))
      .where('id', 'in', ids)
      .execute();
  }

  /** The row threw: retried by a later batch, or set aside for good after `maxAttempts`. */
  async recordFailure(id: number, error: string, maxAttempts: number, now: string): Promise<'retry' | 'set_aside'> {
    const row = await this.store.q.selectFrom('inbox').select('attempts').where('id', '=', id).executeTakeFirst();
    const attempts = Number(row?.attempts ?? 0) + 1;
    const state = attempts >= maxAttempts ? 'set_aside' : 'pending';
    await this.store.q.updateTable('inbox').set({ state, attempts, error: error.slice(0, 2000), processed_at: now }).where('id', '=', id).execute();
    return state === 'set_aside' ? 'set_aside' : 'retry';
  }

  /** Events the processor gave up on, newest first (admins look at them). */
  async setAside(limit = 100): Promise<SetAsideRow[]> {
    const rows = (await this.store.q.selectFrom('inbox').selectAll().where('state', '=', 'set_aside').orderBy('id', 'desc').limit(limit).execute()) as Row[];
    return rows.map((r) => ({ ...fromRow(r), error: r.error ?? '', processedAt: r.processed_at ?? r.received_at }));
  }

  /** Puts a set-aside event back in line (after the cause was fixed). */
  async requeue(id: number): Promise<boolean> {
    const result = await this.store.q
      .updateTable('inbox')
      .set({ state: 'pending', attempts: 0, error: null })
      .where('id', '=', id)
      .where('state', '=', 'set_aside')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Whether any row waits (the processor's look when a run ends: one indexed row, not a count). */
  async hasPending(): Promise<boolean> {
    return (await onePending.first(this.store, {})) !== undefined;
  }

  /** How many rows wait, and since when the oldest one does. */
  async depth(): Promise<{ pending: number; oldestReceivedAt: string | null }> {
    const row = await this.store.q
      .selectFrom('inbox')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('received_at').as('oldest')])
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    return { pending: Number(row.n), oldestReceivedAt: row.oldest ?? null };
  }

  /** The newest row's id (0 when empty): a mark for `pruneDoneUpTo` later. */
  async lastId(): Promise<number> {
    const row = await this.store.q.selectFrom('inbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** Forgets processed rows up to a mark taken a while ago: the dedupe window is their lifetime. */
  async pruneDoneUpTo(id: number): Promise<number> {
    const result = await this.store.q.deleteFrom('inbox').where('id', '<=', id).where('state', '=', 'done').executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
