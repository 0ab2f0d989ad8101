import type { PushRequest } from '@desk/core';
import { type DeskDb, getMeta, META, setMeta } from './db.ts';
import { applyPull, applyPushResults, resetLocal } from './outbox.ts';
import { StatusStore } from './status.ts';
import { ResetRequiredError, type SyncTransport } from './transport.ts';

export interface SyncEngineOptions {
  db: DeskDb;
  agentId: string;
  transport: SyncTransport;
  status?: StatusStore;
  newClientId?: () => string;
  /** Mutations per push request. */
  pushBatch?: number;
  /** Changes per pull page. */
  pullLimit?: number;
  /** Retry delays after a failure grow from min to max (with jitter). */
  backoff?: { minMs: number; maxMs: number };
  /** Whether a failure means "no network" (then the status says offline). */
  isOffline?: (error: unknown) => boolean;
}

/**
 * Moves data between the local store and the server: push the outbox, then pull until the
 * server has nothing more. One run at a time; requests during a run coalesce into one more
 * run; failures retry with exponential backoff. Only the tab holding the sync lock runs it.
 */
export class SyncEngine {
  readonly status: StatusStore;
  private running = false;
  private again = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: SyncEngineOptions) {
    this.status = options.status ?? new StatusStore();
  }

  private get db(): DeskDb {
    return this.options.db;
  }

  async clientId(): Promise<string> {
    const existing = await getMeta<string>(this.db, META.clientId);
    if (existing) return existing;
    const id = this.newClientId();
    await setMeta(this.db, META.clientId, id);
    return id;
  }

  private newClientId(): string {
    return this.options.newClientId?.() ?? crypto.randomUUID();
  }

  /** Asks for a sync soon (coalesced). */
  requestSync(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.run();
  }

  /** Resolves once no run is going on or scheduled right away (tests, benchmarks). */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  private async run(): Promise<void> {
    this.running = true;
    this.status.set({ syncing: true });
    try {
      do {
        this.again = false;
        await this.syncOnce();
      } while (this.again && !this.stopped);
      this.failures = 0;
      this.status.set({ online: true, error: null });
    } catch (error) {
      this.failures += 1;
      const offline = this.options.isOffline?.(error) ?? false;
      this.status.set({ online: !offline, error: error instanceof Error ? error.message : String(error) });
      const { minMs, maxMs } = this.options.backoff ?? { minMs: 1000, maxMs: 30_000 };
      const delay = Math.min(maxMs, minMs * 2 ** (this.failures - 1)) * (0.75 + Math.random() * 0.5);
      if (!this.stopped) this.retryTimer = setTimeout(() => this.requestSync(), delay);
    } finally {
      this.running = false;
      this.status.set({ syncing: false, waiting: await this.db.outbox.count() });
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** One full round: push everything pending, then pull to the server's head. */
  async syncOnce(): Promise<void> {
    try {
      await this.pushAll();
      await this.pullAll();
    } catch (error) {
      if (!(error instanceof ResetRequiredError)) throw error;
      // Another history (restored server) or a cursor too old: start again from 0 under a new
      // client id, keeping pending work (every mutation is safe to apply again: set/add/remove,
      // replies are idempotent on their id).
      await resetLocal(this.db, this.options.agentId, { newClientId: this.newClientId() });
      await this.pushAll();
      await this.pullAll();
    }
  }

  private async pushAll(): Promise<void> {
    const batch = this.options.pushBatch ?? 100;
    for (;;) {
      const unanswered = (await this.db.outbox.orderBy('id').toArray()).filter((entry) => !entry.pushedAt).slice(0, batch);
      if (unanswered.length === 0) return;
      const [clientId, epoch] = await Promise.all([this.clientId(), getMeta<string>(this.db, META.epoch)]);
      const request: PushRequest = {
        clientId,
        mutations: unanswered.map((entry) => ({ id: entry.id, name: entry.name, args: entry.args })),
      };
      const { results } = await this.options.transport.push(request, epoch);
      await applyPushResults(this.db, this.options.agentId, results);
      if (results.length === 0) throw new ResetRequiredError('The server does not know our earlier changes.');
      if (results.length < unanswered.length) return;
    }
  }

  private async pullAll(): Promise<void> {
    // Read together (each read is a round trip to IndexedDB); later pages read the epoch the last one stored.
    const [clientId, start, startEpoch] = await Promise.all([this.clientId(), getMeta<number>(this.db, META.cursor), getMeta<string>(this.db, META.epoch)]);
    let cursor = start ?? 0;
    let first = true;
    for (;;) {
      const epoch = cursor > 0 ? (first ? startEpoch : await getMeta<string>(this.db, META.epoch)) : undefined;
      first = false;
      const page = await this.options.transport.pull(cursor, epoch, this.options.pullLimit);
      await applyPull(this.db, this.options.agentId, clientId, page);
      cursor = page.cursor;
      if (!page.hasMore) return;
    }
  }
}
