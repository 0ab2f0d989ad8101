import type { Channel, Message } from '@desk/core';
import type { ConversationRecord } from './conversations-repo.ts';
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

/**
 * What a send needs, as the engine had it when it queued the row: the outbox of the instance that
 * queued it sends from this (no read of the message and its conversation per reply). A message is
 * never changed once queued, nor a conversation's address (its channel and external id).
 */
export interface Outgoing {
  message: Message;
  conversation: ConversationRecord;
}

interface Queued {
  messageId: string;
  conversationId: string;
  channel: Channel;
  now: string;
  /** Kept in memory only: handed to this instance's outbox with the row. */
  outgoing: Outgoing;
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
 * Leases a conversation's next row, first in line now that the one before it was marked sent in the
 * same transaction: the instance that sent that one sends this one, with no claim (no look at every
 * pending row). Only when it is due and free: a row leased meanwhile by another instance stays
 * theirs (on PostgreSQL the update waits for a claim that locked it, then finds its lease).
 */
const handOverRow = prepared((q, p: { conversationId: string; owner: string; until: string; now: string }) =>
  q
    .updateTable('outbox')
    .set({ lease_owner: p.owner, lease_until: p.until })
    .where('id', '=', (eb) =>
      eb.selectFrom('outbox as e').select('e.id').where('e.state', '=', 'pending').where('e.conversation_id', '=', p.conversationId).orderBy('e.id').limit(1),
    )
    .where('next_attempt_at', '<=', p.now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', p.now)]))
    .returningAll(),
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
  take(row: OutboxRow, outgoing: Outgoing): void;
  /** After the commit: a row queued behind a pending one of its conversation, handed over when that one is sent (see markSent). */
  waits(row: OutboxRow, outgoing: Outgoing): void;
}

/** What marking a row sent found of its conversation's next row. */
export interface AfterSent {
  /** The next row, leased to the marking instance (see handOverRow), or null. */
  next: OutboxRow | null;
  /** A next row is pending that was not handed over (not due, or another instance's): the claims must look. */
  left: boolean;
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
   * Queues `message` for its conversation's channel. The row is written right before the transaction
   * commits, with the transaction's other queued rows (then there is nothing to wait for: no
   * promise), or at once outside a transaction.
   */
  enqueue(message: Message, conversation: ConversationRecord, now: string): Promise<void> | undefined {
    const queued: Queued = { messageId: message.id, conversationId: conversation.id, channel: conversation.channel, now, outgoing: { message, conversation } };
    if (!this.db.inTransaction) return this.db.beforeCommit(this.writeQueued, queued);
    this.db.gather(this.writeQueued, queued);
    return undefined;
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
    // RETURNING lists the rows in no set order: each finds its message by id.
    const outgoing = new Map(queued.map((row) => [row.messageId, row.outgoing]));
    for (const { result } of await queueLeasedRows.insert(this.db, rows)) {
      for (const row of result.rows as OutboxRow[]) {
        const sending = outgoing.get(row.message_id) as Outgoing;
        this.db.afterCommit(row.lease_owner ? () => taker.take(row, sending) : () => taker.waits(row, sending));
      }
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

  /**
   * Marks a row sent. With `handOver` (the lease of the instance that sent it, whose outbox takes
   * the row at once) its conversation's next row, queued behind it, is leased to that instance in
   * the same transaction; otherwise the claims take the next row.
   */
  async markSent(row: OutboxRow, attempts: number, now: string, handOver: JobLease | null): Promise<AfterSent> {
    const marked = await markSentRow.first(this.db, { id: row.id, attempts, now });
    if (!marked?.waiting) return { next: null, left: false };
    if (!handOver || !row.conversation_id) return { next: null, left: true };
    const next = await handOverRow.first(this.db, { conversationId: row.conversation_id, owner: handOver.owner, until: leaseEnd(now, handOver), now });
    return next ? { next: next as OutboxRow, left: false } : { next: null, left: true };
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
