import type { Channel } from '@desk/core';
import type { Db } from '../db/database.ts';
import { prepared, preparedRows } from '../db/prepared.ts';
import { sql } from 'kysely';
import { type JobLease, leaseEnd } from '../jobs/job-lease.ts';

/** A job done (or put back to wait for its retry): no instance holds it any more. */
const NO_LEASE = { lease_owner: null, lease_until: null };

export interface OutboxRow {
  id: number;
  message_id: string;
  /** Copied from the message at enqueue: a conversation's messages go out one at a time, in order. */
  conversation_id: string | null;
  channel: Channel;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  /** The instance that claimed it, until when (see jobs/job-lease.ts). */
  lease_owner: string | null;
  lease_until: string | null;
}

/** No earlier pending row of the same conversation (uses the partial index outbox_pending_conversation). */
const FIRST_IN_LINE = sql<boolean>`NOT EXISTS (SELECT 1 FROM outbox e WHERE e.state = 'pending' AND e.conversation_id = o.conversation_id AND e.id < o.id)`;

interface Queued {
  messageId: string;
  conversationId: string;
  channel: Channel;
  now: string;
}

/** A new row, pending and due at once. */
const queuedRow = (p: Queued) =>
  ({
    message_id: p.messageId,
    conversation_id: p.conversationId,
    channel: p.channel,
    state: 'pending',
    attempts: 0,
    next_attempt_at: p.now,
    created_at: p.now,
    updated_at: p.now,
  }) as const;

/**
 * A transaction's queued rows, written right before its commit several per statement (see
 * `Database.beforeCommit`): in the order queued, so a conversation's rows keep their order.
 */
const queueRows = preparedRows((q, rows: Queued[]) => q.insertInto('outbox').values(rows.map(queuedRow)));

/**
 * SQLite, with this instance's outbox running: a row is leased to it as it is queued, unless an
 * earlier row of the conversation is still pending (then the claims take it once that one is done).
 * SQLite has one writer at a time, so no other transaction can queue for the conversation meanwhile;
 * a row after another of its conversation in the same transaction comes with no owner (`owner` null).
 */
const queueLeasedRows = preparedRows((q, rows: (Queued & { owner: string | null; until: string | null })[]) =>
  q
    .insertInto('outbox')
    .values(
      rows.map((p) => {
        const waits = sql`EXISTS (SELECT 1 FROM outbox e WHERE e.state = 'pending' AND e.conversation_id = ${p.conversationId})`;
        return {
          ...queuedRow(p),
          lease_owner: sql<string | null>`CASE WHEN ${waits} THEN NULL ELSE ${p.owner} END`,
          lease_until: sql<string | null>`CASE WHEN ${waits} THEN NULL ELSE ${p.until} END`,
        };
      }),
    )
    .returningAll(),
);

/** Due rows first in line (`claim`); PostgreSQL locks them, skipping those another instance is claiming. */
const dueRows = (lockRows: boolean) =>
  prepared((q, p: { now: string; limit: number }) => {
    const due = q
      .selectFrom('outbox as o')
      .select('o.id')
      .where('o.state', '=', 'pending')
      .where('o.next_attempt_at', '<=', p.now)
      .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<=', p.now)]))
      .where(FIRST_IN_LINE)
      .orderBy('o.next_attempt_at')
      .orderBy('o.id')
      .limit(p.limit);
    return lockRows ? due.forUpdate().skipLocked() : due;
  });
const dueOnSqlite = dueRows(false);
const dueOnPostgres = dueRows(true);

/**
 * Marks a row sent and answers, in the same statement, whether its conversation has another row
 * still pending (queued behind it; uses outbox_pending_conversation). The subquery leaves the row
 * itself out: PostgreSQL's sees the table as it was before the update.
 */
const markSentRow = prepared((q, p: { id: number; attempts: number; now: string }) =>
  q
    .updateTable('outbox')
    .set({ state: 'sent', attempts: p.attempts, last_error: null, updated_at: p.now, lease_owner: null, lease_until: null })
    .where('id', '=', p.id)
    .returning(
      sql<boolean | number>`EXISTS (SELECT 1 FROM outbox e WHERE e.state = 'pending' AND e.conversation_id = outbox.conversation_id AND e.id <> outbox.id)`.as('waiting'),
    ),
);

/**
 * SQLite: leases the rows a claim read, checking again that each is still pending and free (a row
 * claimed meanwhile by the other thread's outbox, one that took over the queues, is not taken twice).
 * The ids come as one JSON array, so the statement is compiled once whatever their number.
 */
const leaseOnSqlite = prepared((q, p: { ids: string; owner: string; until: string; now: string }) =>
  q
    .updateTable('outbox')
    .set({ lease_owner: p.owner, lease_until: p.until })
    .where('id', 'in', sql<number>`(SELECT value FROM json_each(${p.ids}))`)
    .where('state', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', p.now)]))
    .returningAll(),
);

/** This instance's running outbox, which takes the rows its transactions queue (see OutboxRepo.takeQueuedRows). */
export interface QueuedRowTaker {
  lease: JobLease;
  /** After the commit: a row queued leased to this instance, first in line in its conversation. */
  take(row: OutboxRow): void;
}

/** The durable queue of outbound messages: a row is written in the same transaction as its message. */
export class OutboxRepo {
  private taker: QueuedRowTaker | null = null;

  constructor(private readonly db: Db) {}

  /**
   * SQLite: while this instance's outbox runs, a row is leased to it as it is queued, and handed to
   * it after the commit (no claim, no lease statement per reply). PostgreSQL instances queue for a
   * conversation concurrently, so there the claims alone decide who is first in line.
   */
  takeQueuedRows(taker: QueuedRowTaker | null): void {
    this.taker = this.db.dialect === 'sqlite' ? taker : null;
  }

  /**
   * `conversationId` when the caller knows it (saves looking the message up again): then the row is
   * written right before the transaction commits, with the transaction's other queued rows (then
   * there is nothing to wait for: no promise), or at once outside a transaction.
   */
  enqueue(messageId: string, channel: Channel, now: string, conversationId?: string): Promise<void> | undefined {
    if (!conversationId) return this.insertLookingUp(messageId, channel, now);
    if (!this.db.inTransaction) return this.db.beforeCommit(this.writeQueued, { messageId, conversationId, channel, now });
    this.db.gather(this.writeQueued, { messageId, conversationId, channel, now });
    return undefined;
  }

  /** A row for a message whose conversation the caller does not know: the insert looks it up. */
  private async insertLookingUp(messageId: string, channel: Channel, now: string): Promise<void> {
    await this.db.q
      .insertInto('outbox')
      .values((eb) => ({
        message_id: messageId,
        conversation_id: eb.selectFrom('messages').select('conversation_id').where('id', '=', messageId),
        channel,
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      }))
      .execute();
  }

  /** Right before the commit: the transaction's queued rows, in order (leased to this instance's outbox where first in line). */
  private readonly writeQueued = async (queued: Queued[]): Promise<void> => {
    const taker = this.taker;
    if (!taker) {
      await queueRows.insert(this.db, queued);
      return;
    }
    const lined = new Set<string>();
    const rows = queued.map((row) => {
      const first = !lined.has(row.conversationId);
      lined.add(row.conversationId);
      return { ...row, owner: first ? taker.lease.owner : null, until: first ? leaseEnd(row.now, taker.lease) : null };
    });
    for (const { result } of await queueLeasedRows.insert(this.db, rows)) {
      for (const row of result.rows as OutboxRow[]) if (row.lease_owner) this.db.afterCommit(() => taker.take(row));
    }
  };

  /**
   * Claims pending rows that are due, not leased by an instance, and first in line in their
   * conversation: a later message waits while an earlier one of the same conversation is pending
   * (being sent by any instance, or waiting for a retry); a failed one no longer holds it back.
   * Two instances never claim the same row (FOR UPDATE SKIP LOCKED on PostgreSQL).
   */
  async claim(now: string, limit: number, lease: JobLease): Promise<OutboxRow[]> {
    if (this.db.dialect === 'sqlite') return this.claimOnSqlite(now, limit, lease);
    return this.db.transaction(
      async (q) => {
        const due = this.db.dialect === 'postgres' ? dueOnPostgres : dueOnSqlite;
        const ids = (await due.all(this.db, { now, limit })).map((r) => r.id);
        if (ids.length === 0) return [];
        const rows = await q
          .updateTable('outbox')
          .set({ lease_owner: lease.owner, lease_until: leaseEnd(now, lease) })
          .where('id', 'in', ids)
          .returningAll()
          .execute();
        return (rows as OutboxRow[]).sort((a, b) => a.next_attempt_at.localeCompare(b.next_attempt_at) || a.id - b.id);
      },
      { lock: false },
    );
  }

  /**
   * SQLite: the due rows are read without a transaction (most looks find none: no BEGIN and COMMIT
   * then), and leased with one statement that checks again that each is still pending and free, so a
   * row claimed meanwhile by the other thread's outbox (one that took over the queues) is not taken twice.
   */
  private async claimOnSqlite(now: string, limit: number, lease: JobLease): Promise<OutboxRow[]> {
    const ids = (await dueOnSqlite.all(this.db, { now, limit })).map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = await leaseOnSqlite.all(this.db, { ids: JSON.stringify(ids), owner: lease.owner, until: leaseEnd(now, lease), now });
    return (rows as OutboxRow[]).sort((a, b) => a.next_attempt_at.localeCompare(b.next_attempt_at) || a.id - b.id);
  }

  /** When the earliest row `claim` can answer becomes due (or its lease runs out). */
  async nextDueAt(): Promise<string | null> {
    const row = await this.db.q
      .selectFrom('outbox as o')
      .select(sql<string | null>`MIN(CASE WHEN o.lease_until > o.next_attempt_at THEN o.lease_until ELSE o.next_attempt_at END)`.as('at'))
      .where('state', '=', 'pending')
      .where(FIRST_IN_LINE)
      .executeTakeFirst();
    return row?.at ?? null;
  }

  /** Pending and failed rows per channel (the metrics). */
  async countsByChannel(): Promise<{ channel: Channel; state: 'pending' | 'failed'; count: number }[]> {
    const rows = await this.db.q
      .selectFrom('outbox')
      .select(['channel', 'state', (eb) => eb.fn.countAll<number>().as('count')])
      .where('state', 'in', ['pending', 'failed'])
      .groupBy(['channel', 'state'])
      .execute();
    return rows.map((r) => ({ channel: r.channel as Channel, state: r.state as 'pending' | 'failed', count: Number(r.count) }));
  }

  async get(id: number): Promise<OutboxRow | null> {
    return ((await this.db.q.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst()) as OutboxRow | undefined) ?? null;
  }

  /** Marks a row sent; answers whether its conversation has another row waiting to go out (queued behind it). */
  async markSent(id: number, attempts: number, now: string): Promise<boolean> {
    const row = await markSentRow.first(this.db, { id, attempts, now });
    return Boolean(row?.waiting);
  }

  async retryLater(id: number, attempts: number, error: string, nextAttemptAt: string, now: string): Promise<void> {
    await this.db.q
      .updateTable('outbox')
      .set({ attempts, last_error: error, next_attempt_at: nextAttemptAt, updated_at: now, ...NO_LEASE })
      .where('id', '=', id)
      .execute();
  }

  async markFailed(id: number, attempts: number, error: string, now: string): Promise<void> {
    await this.db.q.updateTable('outbox').set({ state: 'failed', attempts, last_error: error, updated_at: now, ...NO_LEASE }).where('id', '=', id).execute();
  }

  /** Gives a claimed job back (its attempt threw before recording an outcome): it is due again at once. */
  async release(id: number): Promise<void> {
    await this.db.q.updateTable('outbox').set(NO_LEASE).where('id', '=', id).execute();
  }
}
