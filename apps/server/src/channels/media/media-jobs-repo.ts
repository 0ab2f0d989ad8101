import type { Channel } from '@desk/core';
import type { Db } from '../../db/database.ts';
import { statement } from '../../db/statements.ts';
import type { MediaSource } from '../inbound/channel-inbound.ts';

export interface MediaJob {
  id: number;
  messageId: string;
  position: number;
  mediaId: string;
  channel: Channel;
  source: MediaSource;
  state: 'pending' | 'stored' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
}

interface Row {
  id: number;
  message_id: string;
  position: number;
  media_id: string;
  channel: Channel;
  source: string;
  state: MediaJob['state'];
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
}

const fromRow = (r: Row): MediaJob => ({
  id: r.id,
  messageId: r.message_id,
  position: r.position,
  mediaId: r.media_id,
  channel: r.channel,
  source: JSON.parse(r.source) as MediaSource,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
});

/** The durable queue of files to fetch from the platforms (one row per attachment). */
export class MediaJobsRepo {
  constructor(private readonly db: Db) {}

  /** Queues a download; a second call for the same message and position changes nothing. */
  enqueue(job: { messageId: string; position: number; mediaId: string; channel: Channel; source: MediaSource }, now: string): void {
    statement(
      this.db,
      `INSERT OR IGNORE INTO channel_media_jobs (message_id, position, media_id, channel, source, state, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
    ).run(job.messageId, job.position, job.mediaId, job.channel, JSON.stringify(job.source), now, now, now);
  }

  forMessage(messageId: string): MediaJob[] {
    return (statement(
      this.db,
      'SELECT * FROM channel_media_jobs WHERE message_id = ? ORDER BY position',
    ).all(messageId) as Row[]).map(fromRow);
  }

  due(now: string, limit = 20): MediaJob[] {
    return (
      statement(
        this.db,
        "SELECT * FROM channel_media_jobs WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
      ).all(now, limit) as Row[]
    ).map(fromRow);
  }

  nextDueAt(): string | null {
    return (statement(
      this.db,
      "SELECT MIN(next_attempt_at) AS at FROM channel_media_jobs WHERE state = 'pending'",
    ).get() as { at: string | null }).at;
  }

  markStored(id: number, attempts: number, now: string): void {
    statement(
      this.db,
      "UPDATE channel_media_jobs SET state = 'stored', attempts = ?, last_error = NULL, updated_at = ? WHERE id = ?",
    ).run(attempts, now, id);
  }

  retryLater(id: number, attempts: number, error: string, nextAttemptAt: string, now: string): void {
    statement(
      this.db,
      'UPDATE channel_media_jobs SET attempts = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?',
    ).run(attempts, error, nextAttemptAt, now, id);
  }

  markFailed(id: number, attempts: number, error: string, now: string): void {
    statement(
      this.db,
      "UPDATE channel_media_jobs SET state = 'failed', attempts = ?, last_error = ?, updated_at = ? WHERE id = ?",
    ).run(attempts, error, now, id);
  }
}
