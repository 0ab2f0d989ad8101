import { liveQuery } from 'dexie';
import { type Accessor, createEffect, createMemo, createRoot, createSignal, onCleanup } from 'solid-js';
import { adoptChangedSelf, currentUser } from '../auth/session.ts';
import { setPresence } from '../presence/presence-store.ts';
import { type LocalSync, startLocalSync } from './local-sync.ts';
import { observedTransport, onPulledPage } from './pull-observer.ts';
import { indexPulled, queueIndexing, searchDbFor } from './search-index.ts';
import type { SyncStatus } from './status.ts';
import { httpTransport } from './transport.ts';

// The ticket search's word index follows every pulled page, in the order the pages came (not awaited).
onPulledPage(({ page, db }) => {
  void queueIndexing(() => indexPulled(searchDbFor(db), page.changes));
});

// The agent's own row (a role changed by an admin) updates the signed-in agent; other tabs follow through storage.
onPulledPage(({ page, agentId }) => {
  for (const change of page.changes) if (change.entity === 'agent' && change.id === agentId && change.op === 'put') adoptChangedSelf(change.data);
});

/**
 * `?bench-pull` on the first page load (sync benchmark only): the protocol before issue 16 (every
 * poke followed by a pull; a new device pulls everything from 0), as the same-run baseline.
 */
const BEFORE_ISSUE_16 = typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('bench-pull');

/**
 * Solid glue for the local store: the signed-in agent's LocalSync (started on sign-in, stopped
 * on sign-out), its status as a signal, and `useLiveQuery` to read Dexie reactively.
 */
const root = createRoot(() => {
  const [sync, setSync] = createSignal<LocalSync | null>(null);
  const [status, setStatus] = createSignal<SyncStatus>({ online: true, syncing: false, waiting: 0, error: null });
  // Keyed on the id: the agent's own row changing (a new role) must not restart the sync.
  const signedInId = createMemo(() => currentUser()?.id);
  createEffect(() => {
    const agentId = signedInId();
    if (!agentId || typeof window === 'undefined') return;
    // Pulled pages pass through `onPulledPage` listeners (alerts, search) before they are applied.
    const transport = BEFORE_ISSUE_16 ? { pull: httpTransport.pull, push: httpTransport.push } : httpTransport;
    const local: LocalSync = startLocalSync(agentId, { transport: observedTransport(transport, () => ({ db: local.db, agentId })), carriedChanges: !BEFORE_ISSUE_16, onPresence: setPresence });
    const off = local.status.subscribe(setStatus);
    setSync(local);
    onCleanup(() => {
      off();
      local.stop();
      setSync(null);
    });
  });
  return { sync, status };
});

/** The signed-in agent's local store and sync, or null while signed out. */
export const localSync: Accessor<LocalSync | null> = root.sync;
/** online / offline / syncing / N waiting (reactive). */
export const syncStatus: Accessor<SyncStatus> = root.status;

/**
 * A Dexie liveQuery as a signal. `source` reads the signals the query depends on and returns the
 * query (or null for "nothing yet"): it runs again when those signals change, and the query runs
 * again whenever the tables it read change, in this tab or another.
 */
export function useLiveQuery<T>(source: () => (() => Promise<T>) | null, initial: T): Accessor<T> {
  const [value, setValue] = createSignal<T>(initial);
  createEffect(() => {
    const query = source();
    if (!query) return;
    const subscription = liveQuery(query).subscribe({
      next: (next) => setValue(() => next),
      error: (error) => console.error('[desk] live query failed', error),
    });
    onCleanup(() => subscription.unsubscribe());
  });
  return value;
}
