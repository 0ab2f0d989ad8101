import type { Channel } from '@desk/core';
import type { Db } from '../db/database.ts';
import { sql } from 'kysely';

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
}

/** No earlier pending row of the same conversation (uses the partial index outbox_pending_conversation). */
const FIRST_IN_LINE = sql<boolean>`NOT EXISTS (SELECT 1 FROM outbox e WHERE e.state = 'pending' AND e.conversation_id = o.conversation_id AND e.id < o.id)`;

/** The durable queue of outbound messages: a row is written in the same transaction as its message. */
export class OutboxRepo {
  constructor(private readonly db: Db) {}

  /** `conversationId` when the caller knows it (saves looking the message up again). */
  async enqueue(messageId: string, channel: Channel, now: string, conversationId?: string): Promise<void> {
    await this.db.q
      .insertInto('outbox')
      .values((eb) => ({
        message_id: messageId,
        conversation_id: conversationId ?? eb.selectFrom('messages').select('conversation_id').where('id', '=', messageId),
        channel,
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      }))
      .execute();
  }

  /**
   * Pending rows that are due and first in line in their conversation: a later message waits
   * while an earlier one of the same conversation is pending (being sent, or waiting for a
   * retry); a failed one no longer holds it back.
   */
  async due(now: string, limit = 50): Promise<OutboxRow[]> {
    const rows = await this.db.q
      .selectFrom('outbox as o')
      .selectAll()
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where(FIRST_IN_LINE)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows as OutboxRow[];
  }

  /** When the earliest row `due` can answer becomes due. */
  async nextDueAt(): Promise<string | null> {
    const row = await this.db.q
      .selectFrom('outbox as o')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
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

  async markSent(id: number, attempts: number, now: string): Promise<void> {
    await this.db.q.updateTable('outbox').set({ state: 'sent', attempts, last_error: null, updated_at: now }).where('id', '=', id).execute();
  }

  async retryLater(id: number, attempts: number, error: string, nextAttemptAt: string, now: string): Promise<void> {
    await this.db.q.updateTable('outbox').set({ attempts, last_error: error, next_attempt_at: nextAttemptAt, updated_at: now }).where('id', '=', id).execute();
  }

  async markFailed(id: number, attempts: number, error: string, now: string): Promise<void> {
    await this.db.q.updateTable('outbox').set({ state: 'failed', attempts, last_error: error, updated_at: now }).where('id', '=', id).execute();
  }
}
