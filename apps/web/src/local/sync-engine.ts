import type { PullResponse, PushRequest, SnapshotResponse, StreamPoke } from '@desk/core';
import { type DeskDb, getMeta, type LocalTicket, META, type OutboxEntry, setMeta, toLocal } from './db.ts';
import { restored, wasEvicted } from './eviction.ts';
import { waitingChanges } from './mutation-ids.ts';
import { applyPull, applyPushResults, confirmPushed, resetLocal } from './outbox.ts';
import { StatusStore } from './status.ts';
import { ResetRequiredError, type SyncTransport } from './transport.ts';
import { FIRST_TICKET_PAGE } from './first-ticket-page.ts';

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
  /**
   * Shows a stream-carried page's tickets before its write (local/carried-screen.ts); answers what to
   * call once the write has ended (applied or not).
   */
  showCarried?: (tickets: readonly LocalTicket[]) => (applied: boolean) => void;
}

/**
 * Moves data between the local store and the server: push the outbox, then pull until the
 * server has nothing more. One run at a time; requests during a run coalesce into one more
 * run; failures retry with exponential backoff. Only the tab holding the sync lock runs it.
 *
 * Two shortcuts keep agent-to-agent time down: `pushNow` sends a new action the moment its
 * transaction commits, even while a pull is running (pushes are serialised among themselves;
 * the server's at-most-once ids make a repeat harmless); and `offer` applies a page the event
 * stream carried, in the run queue, without a pull (falling back to a pull after a gap).
 */
export class SyncEngine {
  readonly status: StatusStore;
  private running = false;
  private again = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private pushing: Promise<void> | null = null;
  private pushAgain = false;
  /** Stream-carried pages waiting to be written; `settle` ends their early showing (local/carried-screen.ts). */
  private carried: { from: number; page: PullResponse; settle?: ((applied: boolean) => void) | undefined }[] = [];
  /** A run that starts in the next task (a carried page already on screen). */
  private runSoon: Promise<void> | null = null;
  /** The local cursor as of the last page this engine applied (avoids a read per poke). */
  private knownCursor: number | null = null;
  /** Our client's last mutation id in the last final page applied. */
  private confirmed = 0;
  private cachedClientId: string | null = null;
  /** The epoch of the last page applied (or read from the store), for pushes that skip the read. */
  private cachedEpoch: { value: string | undefined } | null = null;
  /** Where the background message download goes on; null when done, undefined until read. */
  private backfill: string | null | undefined;
  private wantedMessages: string[] = [];
  private wantedTickets: string[] = [];
  private fetchedTickets = new Set<string>();

  constructor(private readonly options: SyncEngineOptions) {
    this.status = options.status ?? new StatusStore();
  }

  private get db(): DeskDb {
    return this.options.db;
  }

  async clientId(): Promise<string> {
    if (this.cachedClientId) return this.cachedClientId;
    const existing = await getMeta<string>(this.db, META.clientId);
    if (existing) {
      this.cachedClientId = existing;
      return existing;
    }
    const id = this.newClientId();
    await setMeta(this.db, META.clientId, id);
    this.cachedClientId = id;
    return id;
  }

  /**
   * Pushes what is waiting now, without waiting for a pull in progress. Answers when the outbox
   * as it was at the call has been pushed; a failure asks for a full sync (with its backoff).
   */
  pushNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.pushing) {
      this.pushAgain = true;
      return this.pushing;
    }
    const pushing = (async () => {
      try {
        do {
          this.pushAgain = false;
          await this.pushAll();
        } while (this.pushAgain && !this.stopped);
      } finally {
        this.pushing = null;
      }
    })();
    this.pushing = pushing;
    return pushing;
  }

  /**
   * A ticket is on screen: while messages are still downloading in the background, fetch its
   * messages now, ahead of the rest.
   */
  ensureMessages(ticketId: string): void {
    if (this.stopped || this.fetchedTickets.has(ticketId) || !this.options.transport.snapshot) return;
    this.fetchedTickets.add(ticketId);
    this.wantedMessages.push(ticketId);
    if (!this.running) void this.run();
  }

  /**
   * A ticket is wanted on screen but not on this device (dropped by eviction, or not downloaded
   * yet): fetch it and its messages from the server now.
   */
  ensureTicket(ticketId: string): void {
    if (this.stopped || !this.options.transport.snapshot || this.wantedTickets.includes(ticketId)) return;
    this.wantedTickets.push(ticketId);
    if (!this.running) void this.run();
  }

  /** Whether messages are still downloading in the background (a new device). */
  get downloadingMessages(): boolean {
    return this.backfill !== null && this.backfill !== undefined;
  }

  /**
   * Pushes an action that was alone in the outbox the moment its transaction committed, without
   * reading the outbox again (the shortest path to the other agents); otherwise `pushNow`.
   */
  pushFresh(entry: OutboxEntry): Promise<void> {
    const clientId = this.cachedClientId;
    const epoch = this.cachedEpoch;
    if (this.stopped || this.pushing || !clientId || !epoch) return this.pushNow();
    const pushing = (async () => {
      try {
        this.pushAgain = false;
        await this.sendBatch([entry], clientId, epoch.value);
        // Actions taken while this one was on its way.
        while (this.pushAgain && !this.stopped) {
          this.pushAgain = false;
          await this.pushAll();
        }
      } finally {
        this.pushing = null;
      }
    })();
    this.pushing = pushing;
    return pushing;
  }

  /**
   * A `poke` from the event stream: apply the page it carries (when it follows on from our
   * cursor), or pull when it says there is more or after a gap.
   */
  offer(poke: StreamPoke): void {
    if (this.stopped) return;
    mark('desk:offered');
    if (poke.more || !poke.page || poke.from === undefined) {
      if (this.knownCursor === null || poke.cursor > this.knownCursor) this.requestSync();
      return;
    }
    if (this.knownCursor !== null && poke.cursor <= this.knownCursor) return;
    // A page that follows on from what this device has is on screen now, before its write is even queued
    // (local/carried-screen.ts); one behind others is shown when its turn comes.
    const settle = this.carried.length === 0 && poke.from === this.knownCursor ? this.showCarried(poke.page) : undefined;
    this.carried.push({ from: poke.from, page: poke.page, settle });
    if (this.running || this.runSoon) return;
    if (!settle) return void this.run();
    // Shown: the write starts in the next task, so this one ends (and the frame can paint) without waiting for it.
    this.runSoon = new Promise<void>((resolve) =>
      setTimeout(() => {
        this.runSoon = null;
        if (!this.running && this.carried.length > 0) void this.run();
        resolve();
      }),
    );
  }

  private showCarried(page: PullResponse): ((applied: boolean) => void) | undefined {
    const tickets = this.options.showCarried ? carriedTickets(page) : [];
    const settle = tickets.length > 0 ? this.options.showCarried?.(tickets) : undefined;
    if (settle) mark('desk:carried-shown');
    return settle;
  }

  /** Carried pages that will not be written (stopped, reset): off the screen. */
  private dropCarried(): void {
    for (const queued of this.carried.splice(0)) queued.settle?.(false);
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
  async whenIdle(): Promise<void> {
    while (this.running || this.pushing || this.runSoon) {
      if (this.runSoon) await this.runSoon;
      if (this.pushing) await this.pushing.catch(() => undefined);
      if (this.running) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  stop(): void {
    this.stopped = true;
    this.dropCarried();
    clearTimeout(this.retryTimer);
  }

  private async run(): Promise<void> {
    this.running = true;
    this.status.set({ syncing: true });
    try {
      // A run started for a carried page does only that, unless the page does not follow on.
      let full = this.carried.length === 0 && this.wantedMessages.length === 0 && this.wantedTickets.length === 0;
      if (this.backfill === undefined) {
        const [backfill, cursor] = await Promise.all([getMeta<string>(this.db, META.messageBackfill), getMeta<number>(this.db, META.cursor)]);
        // A device that has never synced downloads messages once its bootstrap is done.
        this.backfill = backfill ?? (!cursor && this.options.transport.snapshot ? '' : null);
      }
      do {
        while (this.carried.length > 0 && !this.stopped) {
          const next = this.carried.shift() as (typeof this.carried)[number];
          if (!(await this.applyCarried(next.from, next.page, next.settle))) full = true;
        }
        if (full || this.again) {
          this.again = false;
          full = false;
          await this.syncOnce();
        }
        while (this.wantedTickets.length > 0 && !this.stopped) {
          const ticketId = this.wantedTickets[0] as string;
          const [ticket, messages] = await Promise.all([this.snapshotOf({ part: 'ticket', ticketId }), this.snapshotOf({ part: 'message', ticketId })]);
          await this.applySnapshot({ ...ticket, changes: [...ticket.changes, ...messages.changes] });
          await restored(this.db, ticketId);
          this.wantedTickets.shift();
        }
        // Tickets on screen whose messages have not arrived yet come before the rest.
        while (this.wantedMessages.length > 0 && !this.stopped) {
          const ticketId = this.wantedMessages.shift() as string;
          // Still downloading (a new device), or dropped by eviction and back on screen: fetch them now.
          if (this.backfill !== null || (await wasEvicted(this.db, ticketId))) {
            await this.applySnapshot(await this.snapshotOf({ part: 'message', ticketId }));
            await restored(this.db, ticketId);
          }
        }
        if (!this.again && this.carried.length === 0 && this.wantedMessages.length === 0) await this.backfillStep();
      } while (
        (this.again || this.carried.length > 0 || this.wantedMessages.length > 0 || this.wantedTickets.length > 0 || this.downloadingMessages) &&
        !this.stopped
      );
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
      this.status.set({ syncing: false, waiting: await waitingChanges(this.db) });
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Applies a stream-carried page if our cursor is still where it starts; false means "pull". */
  private async applyCarried(from: number, page: PullResponse, shown?: (applied: boolean) => void): Promise<boolean> {
    let settle = shown;
    let applied = false;
    try {
      if (this.knownCursor !== null && page.cursor <= this.knownCursor) {
        applied = true;
        return true;
      }
      const local = this.knownCursor ?? (await getMeta<number>(this.db, META.cursor)) ?? 0;
      if (local !== from) return false;
      settle ??= this.showCarried(page);
      applied = await this.writeCarried(from, page);
      return applied;
    } finally {
      settle?.(applied);
    }
  }

  private async writeCarried(from: number, page: PullResponse): Promise<boolean> {
    // Listeners (alerts, search) see it before it is applied, like a pulled page. On the agent-to-agent path
    // the write does not wait for them: their reads are transactions created now, before the write's, and
    // IndexedDB runs an earlier transaction on the same rows first (the alerts still compare with the screen
    // as it was). Their end is awaited before the run goes on (the alerts flush when the run ends).
    mark('desk:carried-start');
    const listened = Promise.resolve(this.options.transport.received?.(page, from)).then(() => mark('desk:carried-listened'));
    const applied = await applyPull(this.db.forServerData(), this.options.agentId, await this.clientId(), page, { from });
    await listened;
    if (!applied) return false;
    mark('desk:carried-applied');
    this.applied(await this.clientId(), page);
    return true;
  }

  private snapshotOf(query: Parameters<NonNullable<SyncTransport['snapshot']>>[0]): Promise<SnapshotResponse> {
    const snapshot = this.options.transport.snapshot;
    if (!snapshot) throw new Error('this transport has no snapshot');
    return snapshot(query);
  }

  /** Writes a snapshot page (current rows; no cursor moves, nothing is confirmed). */
  private async applySnapshot(answer: SnapshotResponse): Promise<void> {
    if (answer.changes.length === 0) return;
    const page: PullResponse = { cursor: 0, changes: answer.changes, lastMutationIds: {}, hasMore: true, epoch: answer.epoch };
    await applyPull(this.db.forServerData(), this.options.agentId, await this.clientId(), page, { snapshot: true });
  }

  /**
   * A new device: tickets newest-updated first (the list is on screen after the first page), then
   * the small entities; then the device follows the log from the first page's head, and messages
   * download in the background (`backfillStep`).
   */
  private async bootstrap(clientId: string): Promise<void> {
    let head: number | null = null;
    let epoch = '';
    for (const part of ['ticket', 'other'] as const) {
      let after: string | undefined;
      let first = true;
      do {
        // A small first page puts the default list on screen at once.
        const answer = await this.snapshotOf({ part, limit: part === 'ticket' && first ? FIRST_TICKET_PAGE.limit : 2000, ...(after ? { after } : {}) });
        first = false;
        head ??= answer.head;
        epoch = answer.epoch;
        await this.applySnapshot(answer);
        after = answer.next ?? undefined;
      } while (after && !this.stopped);
    }
    // Stopped half-way (sign-out, another tab took over): the next start downloads again from the top.
    if (this.stopped) return;
    await setMeta(this.db, META.messageBackfill, '');
    this.backfill = '';
    // From here on, the ordinary pull: whatever changed since the first page arrives through it.
    const start: PullResponse = { cursor: head ?? 0, changes: [], lastMutationIds: {}, hasMore: true, epoch };
    await applyPull(this.db.forServerData(), this.options.agentId, clientId, start);
    this.applied(clientId, start);
  }

  /** One page of the background message download, newest first. */
  private async backfillStep(): Promise<void> {
    if (this.backfill === null || this.backfill === undefined || this.stopped) return;
    const answer = await this.snapshotOf({ part: 'message', limit: 2000, ...(this.backfill ? { after: this.backfill } : {}) });
    await this.applySnapshot(answer);
    this.backfill = answer.next;
    if (answer.next === null) await this.db.meta.delete(META.messageBackfill);
    else await setMeta(this.db, META.messageBackfill, answer.next);
  }

  private applied(clientId: string, page: PullResponse): void {
    this.knownCursor = page.cursor;
    this.cachedEpoch = { value: page.epoch };
    if (!page.hasMore) this.confirmed = page.lastMutationIds[clientId] ?? 0;
  }

  /** One full round: push everything pending, then pull to the server's head. */
  async syncOnce(): Promise<void> {
    try {
      await this.pushNow();
      await this.pullAll();
    } catch (error) {
      if (!(error instanceof ResetRequiredError)) throw error;
      // Another history (restored server) or a cursor too old: start again from 0 under a new
      // client id, keeping pending work (every mutation is safe to apply again: set/add/remove,
      // replies are idempotent on their id).
      const newClientId = this.newClientId();
      await resetLocal(this.db, this.options.agentId, { newClientId });
      this.cachedClientId = newClientId;
      this.cachedEpoch = null;
      this.knownCursor = null;
      this.confirmed = 0;
      this.dropCarried();
      this.fetchedTickets.clear();
      await this.pushNow();
      await this.pullAll();
    }
  }

  private async pushAll(): Promise<void> {
    const batch = this.options.pushBatch ?? 100;
    for (;;) {
      const unanswered = (await this.db.outbox.orderBy('id').toArray()).filter((entry) => !entry.pushedAt).slice(0, batch);
      if (unanswered.length === 0) return;
      const [clientId, epoch] = await Promise.all([this.clientId(), getMeta<string>(this.db, META.epoch)]);
      this.cachedEpoch = { value: epoch };
      if (!(await this.sendBatch(unanswered, clientId, epoch))) return;
    }
  }

  /** Sends entries (in id order) and records the answers; false when the server stopped before the end (a gap). */
  private async sendBatch(entries: readonly OutboxEntry[], clientId: string, epoch: string | undefined): Promise<boolean> {
    const request: PushRequest = { clientId, mutations: entries.map((entry) => ({ id: entry.id, name: entry.name, args: entry.args })) };
    const { results } = await this.options.transport.push(request, epoch);
    await applyPushResults(this.db, this.options.agentId, results);
    if (results.length === 0) throw new ResetRequiredError('The server does not know our earlier changes.');
    // The stream's page may have confirmed these before their answer came: let them leave now.
    if (results.some((r) => r.status === 'applied' && r.id <= this.confirmed)) await confirmPushed(this.db, this.options.agentId, this.confirmed);
    return results.length >= entries.length;
  }

  private async pullAll(): Promise<void> {
    // Read together (each read is a round trip to IndexedDB); later pages read the epoch the last one stored.
    const [clientId, start, startEpoch] = await Promise.all([this.clientId(), getMeta<number>(this.db, META.cursor), getMeta<string>(this.db, META.epoch)]);
    let cursor = start ?? 0;
    if (cursor === 0 && this.options.transport.snapshot) {
      await this.bootstrap(clientId);
      if (this.stopped) return;
      cursor = this.knownCursor ?? 0;
    }
    let first = cursor === (start ?? 0);
    for (;;) {
      const epoch = cursor > 0 ? (first ? startEpoch : await getMeta<string>(this.db, META.epoch)) : undefined;
      first = false;
      const page = await this.options.transport.pull(cursor, epoch, this.options.pullLimit);
      await applyPull(this.db.forServerData(), this.options.agentId, clientId, page);
      this.applied(clientId, page);
      cursor = page.cursor;
      if (!page.hasMore) return;
    }
  }
}

/** The tickets a page leaves as they come (the last change to each; a deletion shows nothing early). */
function carriedTickets(page: PullResponse): LocalTicket[] {
  const last = new Map<string, LocalTicket | null>();
  for (const change of page.changes) {
    if (change.entity !== 'ticket') continue;
    last.delete(change.id);
    last.set(change.id, change.op === 'put' ? (toLocal('ticket', change.id, change.data) as LocalTicket) : null);
  }
  return [...last.values()].filter((ticket): ticket is LocalTicket => ticket !== null);
}

/**
 * A User Timing mark on the agent-to-agent path, only while the sync benchmark's hooks are loaded
 * (`?bench` sets `__deskTrace`): marks pile up in the performance timeline otherwise.
 */
export function mark(name: string): void {
  if ((globalThis as { __deskTrace?: boolean }).__deskTrace) performance.mark(name);
}
