import { type MutationArgsOf, type MutationName, type PresenceEntry, PresenceEvent, StreamPoke } from '@desk/core';
import { liveQuery } from 'dexie';
import { isNetworkError } from '../api/client.ts';
import { DeskDb, getMeta, type LocalTicket, META, type OutboxEntry } from './db.ts';
import { carriedScreen } from './carried-screen.ts';
import { databaseName } from './database-name.ts';
import { EarlyPushes, waitingChanges } from './mutation-ids.ts';
import { type ActionResult, type EarlyPush, mutate } from './outbox.ts';
import { showPending } from './optimistic.ts';
import { StatusStore, type SyncStatus } from './status.ts';
import { evictOld } from './eviction.ts';
import { SyncEngine } from './sync-engine.ts';
import { httpTransport, type SyncTransport } from './transport.ts';

/**
 * The PWA's sync, per signed-in agent. Every tab opens the agent's database and reads it through
 * liveQuery; exactly one tab (the holder of a Web Lock) holds the event stream and pushes, the
 * others only write their actions to the outbox, which the leader sees through Dexie's cross-tab
 * change events. Pending work is in IndexedDB, so it survives reloads and browser restarts.
 */
export interface LocalSync {
  db: DeskDb;
  agentId: string;
  status: StatusStore;
  /** Runs an action: shows it now, queues it for the server. */
  act<N extends MutationName>(name: N, args: MutationArgsOf<N> | Record<string, unknown>): Promise<ActionResult>;
  /** Ask the leader tab (or this one) to sync now. */
  syncNow(): void;
  /** A ticket is on screen: on a new device still downloading messages, fetch its messages first. */
  ensureMessages(ticketId: string): void;
  /** Whether this tab's engine is still downloading messages in the background (a new device). */
  downloadingMessages(): boolean;
  /** A ticket is on screen but not on this device (evicted): fetch it and its messages. */
  ensureTicket(ticketId: string): void;
  stop(): void;
}

export interface LocalSyncOptions {
  transport?: SyncTransport;
  streamUrl?: string;
  /**
   * Connect the stream with our cursor so its pokes carry small change sets (default). Off, every
   * poke is followed by a pull: the protocol before issue 16, kept as the sync benchmark's baseline.
   */
  carriedChanges?: boolean;
  /** Who else has which ticket open, from the stream's `presence` events (null: unknown, e.g. offline). */
  onPresence?: (entries: PresenceEntry[] | null) => void;
}

/** The first eviction waits for the start-up sync; then one every few hours. */
const EVICTION_DELAY_MS = 10_000;
const EVICTION_EVERY_MS = 6 * 3_600_000;

export function startLocalSync(agentId: string, options: LocalSyncOptions = {}): LocalSync {
  const db = new DeskDb(databaseName(agentId));
  const status = new StatusStore({ online: navigator.onLine });
  const carried = carriedScreen(db);
  const engine = new SyncEngine({
    db,
    agentId,
    status,
    transport: options.transport ?? httpTransport,
    isOffline: (error) => isNetworkError(error) || !navigator.onLine,
    // Another agent's change the stream carried is on screen before its IndexedDB commit, as our own actions are.
    showCarried: (tickets) => carried.show(tickets),
  });
  const cleanups: (() => void)[] = [() => carried.stop()];
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`desk-sync-${agentId}`);
  let leader = false;
  /** The leader's push (set while this tab leads); `alone`: the new entry, when nothing else waited. */
  let pushNow: (alone?: OutboxEntry) => void = () => engine.requestSync();
  /** While this tab leads: pushes an action alone in the outbox before its commit ends (local/mutation-ids.ts). */
  let early: EarlyPush | undefined;

  // Ask the browser not to evict this origin's data: pending work lives here.
  void navigator.storage?.persist?.().catch(() => false);

  const waiting = liveQuery(() => waitingChanges(db)).subscribe({ next: (count) => status.set({ waiting: count }) });
  cleanups.push(() => waiting.unsubscribe());

  if (channel) {
    channel.onmessage = (
      event: MessageEvent<{ kind: 'status'; status: SyncStatus } | { kind: 'sync' } | { kind: 'messages' | 'ticket'; ticketId: string } | { kind: 'presence'; entries: PresenceEntry[] | null }>,
    ) => {
      if (event.data.kind === 'presence' && !leader) options.onPresence?.(event.data.entries);
      if (event.data.kind === 'messages' && leader) engine.ensureMessages(event.data.ticketId);
      if (event.data.kind === 'ticket' && leader) engine.ensureTicket(event.data.ticketId);
      if (event.data.kind === 'status' && !leader) status.set({ syncing: event.data.status.syncing, online: event.data.status.online, error: event.data.status.error });
      if (event.data.kind === 'sync' && leader) engine.requestSync();
    };
    cleanups.push(() => channel.close());
  }

  const online = () => {
    status.set({ online: true });
    if (leader) engine.requestSync();
  };
  // Presence: the leader's stream hears it and tells the other tabs; nothing is shown while offline.
  const presence = (entries: PresenceEntry[] | null) => {
    options.onPresence?.(entries);
    channel?.postMessage({ kind: 'presence', entries });
  };
  const offline = () => {
    status.set({ online: false });
    options.onPresence?.(null);
  };
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  cleanups.push(() => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
  });

  function lead(): () => void {
    leader = true;
    const off = engine.status.subscribe((s) => channel?.postMessage({ kind: 'status', status: s }));
    let stream: EventSource | null = null;
    let streamOpen = false;
    // Any tab's new action lands in the outbox: push it at once (no batching delay). With the stream
    // up, its next poke confirms the push; without it, pull to learn the outcome.
    const push = (alone?: OutboxEntry) =>
      (alone ? engine.pushFresh(alone) : engine.pushNow()).then(
        () => {
          if (!streamOpen) engine.requestSync();
        },
        () => engine.requestSync(),
      );
    pushNow = (alone) => void push(alone);
    // Ids this tab may push early are armed by its own committed actions (an id armed by a tab that is gone is filled first).
    const pushes = new EarlyPushes();
    early = { pushes, push: (entry) => void push(entry) };
    const pending = liveQuery(() => db.outbox.filter((entry) => !entry.pushedAt).count()).subscribe({
      next: (count) => {
        if (count > 0) void push();
      },
    });
    let closed = false;
    // The stream starts from our cursor, so its pokes can carry the changes since then.
    function openStream(): void {
      void Promise.all([getMeta<number>(db, META.cursor), getMeta<string>(db, META.epoch)]).then(([cursor, epoch]) => {
        if (closed) return;
        stream?.close();
        streamOpen = false;
        const query = new URLSearchParams();
        if (cursor && options.carriedChanges !== false) query.set('cursor', String(cursor));
        if (cursor && epoch) query.set('epoch', epoch);
        const base = options.streamUrl ?? '/api/sync/stream';
        stream = new EventSource(query.size > 0 ? `${base}${base.includes('?') ? '&' : '?'}${query}` : base, { withCredentials: true });
        stream.addEventListener('poke', (event) => {
          const data = (event as MessageEvent<string>).data;
          const parsed = StreamPoke.safeParse(data ? JSON.parse(data) : null);
          if (!parsed.success) engine.requestSync();
          else engine.offer(options.carriedChanges === false ? { cursor: parsed.data.cursor, more: true } : parsed.data);
        });
        stream.addEventListener('presence', (event) => {
          const data = (event as MessageEvent<string>).data;
          const parsed = PresenceEvent.safeParse(data ? JSON.parse(data) : null);
          if (parsed.success) presence(navigator.onLine ? parsed.data.entries : null);
        });
        stream.addEventListener('open', () => {
          streamOpen = true;
          status.set({ online: true });
          engine.requestSync();
        });
        stream.addEventListener('error', () => {
          streamOpen = false;
          presence(null);
        });
      });
    }
    openStream();
    // Back online: a new stream, whatever the browser made of the old one (it may have given it up, or
    // kept a connection that missed events). It starts from today's cursor and, at connection, says
    // who is here again (hidden while offline).
    window.addEventListener('online', openStream);
    engine.requestSync();
    // The device keeps what the agent needs: once synced, and every few hours, old solved tickets go.
    const evict = () =>
      void engine
        .whenIdle()
        .then(() => evictOld(db.forServerData(), agentId))
        .catch((error: unknown) => console.error('[desk] eviction failed', error));
    const firstEviction = setTimeout(evict, EVICTION_DELAY_MS);
    const evictions = setInterval(evict, EVICTION_EVERY_MS);
    return () => {
      clearTimeout(firstEviction);
      clearInterval(evictions);
      off();
      pending.unsubscribe();
      closed = true;
      window.removeEventListener('online', openStream);
      stream?.close();
      presence(null);
      engine.stop();
      leader = false;
      early = undefined;
      pushes.drop();
    };
  }

  const controller = new AbortController();
  if (navigator.locks) {
    navigator.locks
      .request(`desk-sync-${agentId}`, { signal: controller.signal }, async () => {
        const release = lead();
        await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }));
        release();
      })
      .catch(() => undefined);
  } else {
    cleanups.push(lead());
  }
  cleanups.push(() => controller.abort());

  return {
    db,
    agentId,
    status,
    act: async (name, args) => {
      // The tickets it changes are on screen before its `strict` commit ends (local/optimistic.ts).
      let settle: ((committed: boolean) => void) | undefined;
      const onRows = (rows: readonly { entity: string; row: unknown }[]) => {
        settle = showPending(rows.flatMap((written) => (written.entity === 'ticket' && written.row ? [written.row as LocalTicket] : [])));
      };
      let result: ActionResult;
      try {
        result = await mutate(db, agentId, name, args, { onRows, ...(early && { early }) });
      } catch (error) {
        settle?.(false);
        throw error;
      }
      settle?.(result.ok);
      if (result.ok && !result.pushedEarly) {
        // Pushed the moment its transaction commits (the outbox liveQuery would see it a little later).
        if (leader) pushNow(result.alone);
        else channel?.postMessage({ kind: 'sync' });
      }
      return result;
    },
    syncNow: () => (leader ? engine.requestSync() : channel?.postMessage({ kind: 'sync' })),
    downloadingMessages: () => engine.downloadingMessages,
    ensureTicket: (ticketId) => (leader ? engine.ensureTicket(ticketId) : channel?.postMessage({ kind: 'ticket', ticketId })),
    ensureMessages: (ticketId) => (leader ? engine.ensureMessages(ticketId) : channel?.postMessage({ kind: 'messages', ticketId })),
    stop: () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      db.close();
    },
  };
}
