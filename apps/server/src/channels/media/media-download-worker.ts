import { writeFile } from 'node:fs/promises';
import { attachmentKindOf, type Channel, type Message } from '@desk/core';
import type { MessagesRepo } from '../../conversations/messages-repo.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import type { EventBus } from '../../events/domain-events.ts';
import type { MediaRepo } from '../../media/media-repo.ts';
import type { MediaStore } from '../../media/media-store.ts';
import { baseMimeType, isAllowedMediaType } from '../../media/media-types.ts';
import type { Clock } from '../../shared/clock.ts';
import type { MediaSource } from '../inbound/channel-inbound.ts';
import type { FetchedMedia } from './media-download.ts';
import { formatMb, MediaFetchError } from './media-download.ts';
import type { MediaJob, MediaJobsRepo } from './media-jobs-repo.ts';
import type { MessageAttachments } from './message-attachments.ts';

/** Fetches the bytes of a file a platform announced. Throws `MediaFetchError`. */
export interface MediaFetcher {
  fetch(source: MediaSource, maxBytes: number): Promise<FetchedMedia>;
}

export interface MediaWorkerOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxAttempts?: number;
}

interface Deps {
  db: Db;
  clock: Clock;
  events: EventBus;
  jobs: MediaJobsRepo;
  media: MediaRepo;
  mediaStore: MediaStore;
  attachments: MessageAttachments;
  messages: MessagesRepo;
  maxBytes: number;
}

/** Platforms and browsers say image/jpg; the allow-list (and the world) says image/jpeg. */
function canonicalMime(type: string): string {
  const base = baseMimeType(type);
  return base === 'image/jpg' ? 'image/jpeg' : base;
}

/**
 * Downloads the files users sent on messaging platforms, after their webhook was acknowledged:
 * one at a time, retried with exponential backoff, and failed visibly (on the attachment) when the
 * file is too large, not accepted, gone, or keeps failing. The queue is in SQLite: a restart resumes it.
 */
export class MediaDownloadWorker {
  private readonly fetchers = new Map<Channel, MediaFetcher>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxAttempts: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private started = false;

  constructor(
    private readonly deps: Deps,
    options: MediaWorkerOptions = {},
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 5_000;
    this.maxDelayMs = options.maxDelayMs ?? 10 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 10;
  }

  register(channel: Channel, fetcher: MediaFetcher): void {
    this.fetchers.set(channel, fetcher);
  }

  start(): void {
    this.started = true;
    this.kick();
  }

  stop(): void {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Is this worker busy right now? (Tests and shutdown wait for it.) */
  idle(): Promise<unknown> {
    return this.running ?? Promise.resolve();
  }

  kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    setImmediate(() => {
      if (this.started) void this.runDue().catch((err) => console.error('[desk] media downloads failed', err));
    });
  }

  async runDue(): Promise<number> {
    if (this.running) return this.running;
    this.running = (async () => {
      let handled = 0;
      do {
        this.again = false;
        for (const job of this.deps.jobs.due(this.deps.clock())) {
          await this.download(job);
          handled += 1;
        }
      } while (this.again);
      return handled;
    })();
    try {
      return await this.running;
    } finally {
      this.running = null;
      this.schedule();
    }
  }

  private schedule(): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.deps.jobs.nextDueAt();
    if (!next) return;
    const wait = Math.max(0, Math.min(Date.parse(next) - Date.now(), 2_147_000_000));
    this.timer = setTimeout(() => void this.runDue().catch((err) => console.error('[desk] media downloads failed', err)), wait);
    this.timer.unref();
  }

  private async download(job: MediaJob): Promise<void> {
    const attempts = job.attempts + 1;
    const fetcher = this.fetchers.get(job.channel);
    if (!fetcher) return this.retry(job, attempts, `The ${job.channel} channel is not configured.`);
    const message = this.deps.messages.get(job.messageId);
    const declared = message?.attachments[job.position];
    if (!message || !declared) return this.fail(job, attempts, 'The message no longer exists.');
    if (declared.size > this.deps.maxBytes) return this.fail(job, attempts, `The file is larger than the ${formatMb(this.deps.maxBytes)} limit.`);
    try {
      const fetched = await fetcher.fetch(job.source, this.deps.maxBytes);
      const platformType = declared.mimeType && declared.mimeType !== 'application/octet-stream' ? declared.mimeType : null;
      const mimeType = canonicalMime(platformType ?? fetched.contentType ?? 'application/octet-stream');
      if (!isAllowedMediaType(mimeType)) throw new MediaFetchError(`This kind of file is not accepted (${mimeType}).`, false);
      if (fetched.bytes.byteLength > this.deps.maxBytes) throw new MediaFetchError('The file is larger than the size limit.', false);
      // Overwrites what an interrupted earlier attempt may have left.
      await writeFile(this.deps.mediaStore.pathOf(job.mediaId), fetched.bytes, { mode: 0o600 });
      const size = fetched.bytes.byteLength;
      this.write(() => {
        const now = this.deps.clock();
        if (!this.deps.media.get(job.mediaId)) {
          this.deps.media.insert({ id: job.mediaId, conversationId: message.conversationId, mimeType, size, name: declared.name, createdAt: now });
        }
        this.deps.jobs.markStored(job.id, attempts, now);
        return this.deps.attachments.patch(job.messageId, job.position, {
          kind: declared.kind === 'file' ? attachmentKindOf(mimeType) : declared.kind,
          mimeType,
          size,
          download: { state: 'stored', error: null, attempts },
        });
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const retryable = !(err instanceof MediaFetchError) || err.retryable;
      if (retryable) this.retry(job, attempts, reason);
      else this.fail(job, attempts, reason);
    }
  }

  private retry(job: MediaJob, attempts: number, reason: string): void {
    if (attempts >= this.maxAttempts) {
      this.fail(job, attempts, reason);
      return;
    }
    const delay = Math.min(this.baseDelayMs * 2 ** (attempts - 1), this.maxDelayMs);
    const now = this.deps.clock();
    this.write(() => {
      this.deps.jobs.retryLater(job.id, attempts, reason, new Date(Date.parse(now) + delay).toISOString(), now);
      return this.deps.attachments.patch(job.messageId, job.position, { download: { state: 'pending', error: reason, attempts } });
    });
  }

  private fail(job: MediaJob, attempts: number, reason: string): void {
    this.write(() => {
      this.deps.jobs.markFailed(job.id, attempts, reason, this.deps.clock());
      return this.deps.attachments.patch(job.messageId, job.position, { download: { state: 'failed', error: reason, attempts } });
    });
  }

  private write(work: () => Message | null): void {
    const message = inTransaction(this.deps.db, work);
    if (message) this.deps.events.emit('message.updated', { message });
  }
}
