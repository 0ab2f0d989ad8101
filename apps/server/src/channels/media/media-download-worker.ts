import { writeFile } from 'node:fs/promises';
import { attachmentKindOf, type Channel, type Message } from '@desk/core';
import type { MessagesRepo } from '../../conversations/messages-repo.ts';
import type { Db } from '../../db/database.ts';
import type { EventBus } from '../../events/domain-events.ts';
import { leaseFor } from '../../jobs/job-lease.ts';
import { DueJobRunner, type RetryPolicy, retryAt } from '../../jobs/due-job-runner.ts';
import type { MediaRepo } from '../../media/media-repo.ts';
import type { MediaStore } from '../../media/media-store.ts';
import { baseMimeType, isAllowedMediaType } from '../../media/media-types.ts';
import { decideMediaType, sniffMediaType } from '../../media/sniff-media-type.ts';
import type { Clock } from '../../shared/clock.ts';
import type { MediaSource } from '../inbound/channel-inbound.ts';
import type { FetchedMedia } from './media-download.ts';
import { formatMb, MediaFetchError } from './media-download.ts';
import type { MediaJob, MediaJobsRepo } from './media-jobs-repo.ts';

/** Fetches the bytes of a file a platform announced. Throws `MediaFetchError`. */
export interface MediaFetcher {
  fetch(source: MediaSource, maxBytes: number): Promise<FetchedMedia>;
}

export interface MediaWorkerOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxAttempts?: number;
  /** How many files are fetched at once. */
  concurrency?: number;
  /** How long a claimed download stays this instance's before another may take it (see job-lease.ts). */
  leaseMs?: number;
}

interface Deps {
  db: Db;
  clock: Clock;
  events: EventBus;
  jobs: MediaJobsRepo;
  media: MediaRepo;
  mediaStore: MediaStore;
  messages: MessagesRepo;
  maxBytes: number;
  /** Bytes the media store may still grow by (`MEDIA_QUOTA_BYTES`). */
  storageLeft: () => Promise<number>;
}

/** Platforms and browsers say image/jpg; the allow-list (and the world) says image/jpeg. */
function canonicalMime(type: string): string {
  const base = baseMimeType(type);
  return base === 'image/jpg' ? 'image/jpeg' : base;
}

/**
 * Downloads the files users sent on messaging platforms, after their webhook was acknowledged:
 * a few at a time, retried with exponential backoff, and failed visibly (on the attachment) when the
 * file is too large, not accepted, gone, or keeps failing. The queue is in SQLite: a restart resumes it.
 */
export class MediaDownloadWorker extends DueJobRunner<MediaJob> {
  private readonly fetchers = new Map<Channel, MediaFetcher>();
  private readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly deps: Deps,
    options: MediaWorkerOptions = {},
  ) {
    // A 25 MB file on a slow link takes a while: ten minutes before another instance takes it over.
    const lease = leaseFor(options.leaseMs ?? 600_000);
    super({
      name: 'media downloads',
      clock: deps.clock,
      due: (now, limit) => deps.jobs.claim(now, limit, lease),
      release: (job) => deps.jobs.release(job.id),
      nextDueAt: () => deps.jobs.nextDueAt(),
      handle: (job) => this.download(job),
      // Each job stands alone (a message's attachments are patched one by one, in transactions).
      keyOf: (job) => job.id,
      concurrency: options.concurrency ?? 4,
    });
    this.retryPolicy = {
      baseDelayMs: options.baseDelayMs ?? 5_000,
      maxDelayMs: options.maxDelayMs ?? 10 * 60_000,
      maxAttempts: options.maxAttempts ?? 10,
    };
  }

  register(channel: Channel, fetcher: MediaFetcher): void {
    this.fetchers.set(channel, fetcher);
  }

  private async download(job: MediaJob): Promise<void> {
    const attempts = job.attempts + 1;
    const fetcher = this.fetchers.get(job.channel);
    if (!fetcher) return this.retry(job, attempts, `The ${job.channel} channel is not configured.`);
    const message = await this.deps.messages.get(job.messageId);
    const declared = message?.attachments[job.position];
    if (!message || !declared) return this.fail(job, attempts, 'The message no longer exists.');
    if (declared.size > this.deps.maxBytes) return this.fail(job, attempts, `The file is larger than the ${formatMb(this.deps.maxBytes)} limit.`);
    try {
      const fetched = await fetcher.fetch(job.source, this.deps.maxBytes);
      // The bytes decide; the response's or the platform's claim only refines a type of the same family.
      const claim = (type: string | null | undefined) => (type ? canonicalMime(type) : null);
      const mimeType = decideMediaType(sniffMediaType(fetched.bytes), claim(fetched.contentType), claim(declared.mimeType));
      if (!isAllowedMediaType(mimeType)) throw new MediaFetchError(`This kind of file is not accepted (${mimeType}).`, false);
      if (fetched.bytes.byteLength > this.deps.maxBytes) throw new MediaFetchError('The file is larger than the size limit.', false);
      // A full store is retried later: retention or an admin may free room meanwhile.
      if (fetched.bytes.byteLength > (await this.deps.storageLeft())) throw new MediaFetchError('File storage is full.', true);
      // Overwrites what an interrupted earlier attempt may have left.
      await writeFile(this.deps.mediaStore.pathOf(job.mediaId), fetched.bytes, { mode: 0o600 });
      const size = fetched.bytes.byteLength;
      await this.write(async () => {
        const now = this.deps.clock();
        if (!(await this.deps.media.get(job.mediaId))) {
          await this.deps.media.insert({ id: job.mediaId, conversationId: message.conversationId, mimeType, size, name: declared.name, createdAt: now });
        }
        await this.deps.jobs.markStored(job.id, attempts, now);
        return this.deps.messages.patchAttachment(job.messageId, job.position, {
          kind: declared.kind === 'file' ? attachmentKindOf(mimeType) : declared.kind,
          mimeType,
          size,
          download: { state: 'stored', error: null, attempts },
        });
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const detail = err instanceof MediaFetchError ? err.detail : reason;
      const retryable = !(err instanceof MediaFetchError) || err.retryable;
      if (retryable) await this.retry(job, attempts, reason, detail);
      else await this.fail(job, attempts, reason, detail);
    }
  }

  /** `reason` is shown to agents on the attachment; `detail` (network internals) stays in the job row. */
  private async retry(job: MediaJob, attempts: number, reason: string, detail = reason): Promise<void> {
    const now = this.deps.clock();
    const nextAt = retryAt(this.retryPolicy, attempts, now);
    if (!nextAt) {
      await this.fail(job, attempts, reason, detail);
      return;
    }
    await this.write(async () => {
      await this.deps.jobs.retryLater(job.id, attempts, detail, nextAt, now);
      return this.deps.messages.patchAttachment(job.messageId, job.position, { download: { state: 'pending', error: reason, attempts } });
    });
  }

  private async fail(job: MediaJob, attempts: number, reason: string, detail = reason): Promise<void> {
    await this.write(async () => {
      await this.deps.jobs.markFailed(job.id, attempts, detail, this.deps.clock());
      return this.deps.messages.patchAttachment(job.messageId, job.position, { download: { state: 'failed', error: reason, attempts } });
    });
  }

  private async write(work: () => Promise<Message | null>): Promise<void> {
    const message = await this.deps.db.transaction(work);
    if (message) this.deps.events.emit('message.updated', { message });
  }
}
