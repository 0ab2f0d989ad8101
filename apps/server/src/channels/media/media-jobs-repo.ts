import type { Channel } from '@desk/core';
import type { Db } from '../../db/database.ts';
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
  id: Number(r.id),
  messageId: r.message_id,
  position: r.position,
  mediaId: r.media_id,
  channel: r.channel,
  source: JSON.parse(r.source) as MediaSource,
  state: r.state,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
});

/** The durable queue of files to fetch from the platforms (one row per attachment). */
export class MediaJobsRepo {
  constructor(private readonly db: Db) {}

  /** Queues a download; a second call for the same message and position changes nothing. */
  async enqueue(job: { messageId: string; position: number; mediaId: string; channel: Channel; source: MediaSource }, now: string): Promise<void> {
    await this.db.q
      .insertInto('channel_media_jobs')
      .values({
        message_id: job.messageId,
        position: job.position,
        media_id: job.mediaId,
        channel: job.channel,
        source: JSON.stringify(job.source),
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async forMessage(messageId: string): Promise<MediaJob[]> {
    const rows = await this.db.q.selectFrom('channel_media_jobs').selectAll().where('message_id', '=', messageId).orderBy('position').execute();
    return (rows as Row[]).map(fromRow);
  }

  async due(now: string, limit = 20): Promise<MediaJob[]> {
    const rows = await this.db.q
      .selectFrom('channel_media_jobs')
      .selectAll()
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return (rows as Row[]).map(fromRow);
  }

  async nextDueAt(): Promise<string | null> {
    const row = await this.db.q
      .selectFrom('channel_media_jobs')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return row?.at ?? null;
  }

  async markStored(id: number, attempts: number, now: string): Promise<void> {
    await this.db.q.updateTable('channel_media_jobs').set({ state: 'stored', attempts, last_error: null, updated_at: now }).where('id', '=', id).execute();
  }

  async retryLater(id: number, attempts: number, error: string, nextAttemptAt: string, now: string): Promise<void> {
    await this.db.q
      .updateTable('channel_media_jobs')
      .set({ attempts, last_error: error, next_attempt_at: nextAttemptAt, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async markFailed(id: number, attempts: number, error: string, now: string): Promise<void> {
    await this.db.q.updateTable('channel_media_jobs').set({ state: 'failed', attempts, last_error: error, updated_at: now }).where('id', '=', id).execute();
  }
}
