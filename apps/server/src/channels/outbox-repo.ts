import type { Channel } from '@desk/core';
import type { Db } from '../db/database.ts';

export interface OutboxRow {
  id: number;
  message_id: string;
  channel: Channel;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
}

/** The durable queue of outbound messages: a row is written in the same transaction as its message. */
export class OutboxRepo {
  constructor(private readonly db: Db) {}

  enqueue(messageId: string, channel: Channel, now: string): void {
    this.db
      .prepare(
        `INSERT INTO outbox (message_id, channel, state, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, 'pending', 0, ?, ?, ?)`,
      )
      .run(messageId, channel, now, now, now);
  }

  due(now: string, limit = 50): OutboxRow[] {
    return this.db
      .prepare("SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?")
      .all(now, limit) as OutboxRow[];
  }

  nextDueAt(): string | null {
    const row = this.db.prepare("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'pending'").get() as { at: string | null };
    return row.at;
  }

  get(id: number): OutboxRow | null {
    return (this.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined) ?? null;
  }

  markSent(id: number, attempts: number, now: string): void {
    this.db
      .prepare("UPDATE outbox SET state = 'sent', attempts = ?, last_error = NULL, updated_at = ? WHERE id = ?")
      .run(attempts, now, id);
  }

  retryLater(id: number, attempts: number, error: string, nextAttemptAt: string, now: string): void {
    this.db
      .prepare('UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?')
      .run(attempts, error, nextAttemptAt, now, id);
  }

  markFailed(id: number, attempts: number, error: string, now: string): void {
    this.db
      .prepare("UPDATE outbox SET state = 'failed', attempts = ?, last_error = ?, updated_at = ? WHERE id = ?")
      .run(attempts, error, now, id);
  }
}
