import type { Channel } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';

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
const FIRST_IN_LINE = `NOT EXISTS (SELECT 1 FROM outbox e WHERE e.state = 'pending' AND e.conversation_id = o.conversation_id AND e.id < o.id)`;

/** The durable queue of outbound messages: a row is written in the same transaction as its message. */
export class OutboxRepo {
  constructor(private readonly db: Db) {}

  /** `conversationId` when the caller knows it (saves looking the message up again). */
  enqueue(messageId: string, channel: Channel, now: string, conversationId?: string): void {
    statement(
      this.db,
      `INSERT INTO outbox (message_id, conversation_id, channel, state, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, COALESCE(?, (SELECT conversation_id FROM messages WHERE id = ?)), ?, 'pending', 0, ?, ?, ?)`,
    ).run(messageId, conversationId ?? null, messageId, channel, now, now, now);
  }

  /**
   * Pending rows that are due and first in line in their conversation: a later message waits
   * while an earlier one of the same conversation is pending (being sent, or waiting for a
   * retry); a failed one no longer holds it back.
   */
  due(now: string, limit = 50): OutboxRow[] {
    return statement(
      this.db,
      `SELECT * FROM outbox o WHERE state = 'pending' AND next_attempt_at <= ? AND ${FIRST_IN_LINE}
       ORDER BY next_attempt_at, id LIMIT ?`,
    ).all(now, limit) as OutboxRow[];
  }

  /** When the earliest row `due` can answer becomes due. */
  nextDueAt(): string | null {
    const row = statement(this.db, `SELECT MIN(next_attempt_at) AS at FROM outbox o WHERE state = 'pending' AND ${FIRST_IN_LINE}`).get() as {
      at: string | null;
    };
    return row.at;
  }

  /** Pending and failed rows per channel (the metrics). */
  countsByChannel(): { channel: Channel; state: 'pending' | 'failed'; count: number }[] {
    return statement(
      this.db,
      "SELECT channel, state, COUNT(*) AS count FROM outbox WHERE state IN ('pending', 'failed') GROUP BY channel, state",
    ).all() as { channel: Channel; state: 'pending' | 'failed'; count: number }[];
  }

  get(id: number): OutboxRow | null {
    return (statement(this.db, 'SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined) ?? null;
  }

  markSent(id: number, attempts: number, now: string): void {
    statement(
      this.db,
      "UPDATE outbox SET state = 'sent', attempts = ?, last_error = NULL, updated_at = ? WHERE id = ?",
    ).run(attempts, now, id);
  }

  retryLater(id: number, attempts: number, error: string, nextAttemptAt: string, now: string): void {
    statement(
      this.db,
      'UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?',
    ).run(attempts, error, nextAttemptAt, now, id);
  }

  markFailed(id: number, attempts: number, error: string, now: string): void {
    statement(
      this.db,
      "UPDATE outbox SET state = 'failed', attempts = ?, last_error = ?, updated_at = ? WHERE id = ?",
    ).run(attempts, error, now, id);
  }
}
