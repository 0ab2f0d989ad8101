import type { Channel } from '@desk/core';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { type JobLease, leaseEnd } from '../../jobs/job-lease.ts';

const NO_LEASE = { lease_owner: null, lease_until: null };
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

  /** Claims due downloads no instance holds (FOR UPDATE SKIP LOCKED on PostgreSQL; see jobs/job-lease.ts). */
  async claim(now: string, limit: number, lease: JobLease): Promise<MediaJob[]> {
    return this.db.transaction(
      async (q) => {
        let due = q
          .selectFrom('channel_media_jobs')
          .select('id')
          .where('state', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(limit);
        if (this.db.dialect === 'postgres') due = due.forUpdate().skipLocked();
        const ids = (await due.execute()).map((r) => r.id);
        if (ids.length === 0) return [];
        const rows = await q
          .updateTable('channel_media_jobs')
          .set({ lease_owner: lease.owner, lease_until: leaseEnd(now, lease) })
          .where('id', 'in', ids)
          .returningAll()
          .execute();
        return (rows as Row[]).map(fromRow).sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id - b.id);
      },
      { lock: false },
    );
  }

  /** When the earliest pending download becomes due (or its lease runs out). */
  async nextDueAt(): Promise<string | null> {
    const row = await this.db.q
      .selectFrom('channel_media_jobs')
      .select(sql<string | null>`MIN(CASE WHEN lease_until > next_attempt_at THEN lease_until ELSE next_attempt_at END)`.as('at'))
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return row?.at ?? null;
  }

  async markStored(id: number, attempts: number, now: string): Promise<void> {
    await this.db.q.updateTable('channel_media_jobs').set({ state: 'stored', attempts, last_error: null, updated_at: now, ...NO_LEASE }).where('id', '=', id).execute();
  }

  async retryLater(id: number, attempts: number, error: string, nextAttemptAt: string, now: string): Promise<void> {
    await this.db.q
      .updateTable('channel_media_jobs')
      .set({ attempts, last_error: error, next_attempt_at: nextAttemptAt, updated_at: now, ...NO_LEASE })
      .where('id', '=', id)
      .execute();
  }

  async markFailed(id: number, attempts: number, error: string, now: string): Promise<void> {
    await this.db.q.updateTable('channel_media_jobs').set({ state: 'failed', attempts, last_error: error, updated_at: now, ...NO_LEASE }).where('id', '=', id).execute();
  }

  /** Gives a claimed job back (its attempt threw before recording an outcome): it is due again at once. */
  async release(id: number): Promise<void> {
    await this.db.q.updateTable('channel_media_jobs').set(NO_LEASE).where('id', '=', id).execute();
  }
}
