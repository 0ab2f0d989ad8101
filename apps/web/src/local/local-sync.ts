import type { MutationArgsOf, MutationName } from '@desk/core';
import { liveQuery } from 'dexie';
import { isNetworkError } from '../api/client.ts';
import { DeskDb, getMeta, META } from './db.ts';
import { type ActionResult, mutate } from './outbox.ts';
import { StatusStore, type SyncStatus } from './status.ts';
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
  stop(): void;
}

export interface LocalSyncOptions {
  transport?: SyncTransport;
  streamUrl?: string;
}

export function databaseName(agentId: string): string {
  return `desk-${agentId}`;
}

export function startLocalSync(agentId: string, options: LocalSyncOptions = {}): LocalSync {
  const db = new DeskDb(databaseName(agentId));
  const status = new StatusStore({ online: navigator.onLine });
  const engine = new SyncEngine({
    db,
    agentId,
    status,
    transport: options.transport ?? httpTransport,
    isOffline: (error) => isNetworkError(error) || !navigator.onLine,
  });
  const cleanups: (() => void)[] = [];
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`desk-sync-${agentId}`);
  let leader = false;

  // Ask the browser not to evict this origin's data: pending work lives here.
  void navigator.storage?.persist?.().catch(() => false);

  const waiting = liveQuery(() => db.outbox.count()).subscribe({ next: (count) => status.set({ waiting: count }) });
  cleanups.push(() => waiting.unsubscribe());

  if (channel) {
    channel.onmessage = (event: MessageEvent<{ kind: 'status'; status: SyncStatus } | { kind: 'sync' }>) => {
      if (event.data.kind === 'status' && !leader) status.set({ syncing: event.data.status.syncing, online: event.data.status.online, error: event.data.status.error });
      if (event.data.kind === 'sync' && leader) engine.requestSync();
    };
    cleanups.push(() => channel.close());
  }

  const online = () => {
    status.set({ online: true });
    if (leader) engine.requestSync();
  };
  const offline = () => status.set({ online: false });
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  cleanups.push(() => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
  });

  function lead(): () => void {
    leader = true;
    const off = engine.status.subscribe((s) => channel?.postMessage({ kind: 'status', status: s }));
    // Any tab's new action lands in the outbox: push it.
    const pending = liveQuery(() => db.outbox.filter((entry) => !entry.pushedAt).count()).subscribe({
      next: (count) => {
        if (count > 0) engine.requestSync();
      },
    });
    const stream = new EventSource(options.streamUrl ?? '/api/sync/stream', { withCredentials: true });
    stream.addEventListener('poke', (event) => {
      const cursor = Number((event as MessageEvent<string>).data ? JSON.parse((event as MessageEvent<string>).data).cursor : 0);
      void getMeta<number>(db, META.cursor).then((local) => {
        if (cursor > (local ?? 0)) engine.requestSync();
      });
    });
    stream.addEventListener('open', () => {
      status.set({ online: true });
      engine.requestSync();
    });
    engine.requestSync();
    return () => {
      off();
      pending.unsubscribe();
      stream.close();
      engine.stop();
      leader = false;
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
      const result = await mutate(db, agentId, name, args);
      if (result.ok) {
        if (leader) engine.requestSync();
        else channel?.postMessage({ kind: 'sync' });
      }
      return result;
    },
    syncNow: () => (leader ? engine.requestSync() : channel?.postMessage({ kind: 'sync' })),
    stop: () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      db.close();
    },
  };
}
