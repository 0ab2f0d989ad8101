/** The sync status the indicator shows: online / offline / syncing / N changes waiting. */
export interface SyncStatus {
  online: boolean;
  syncing: boolean;
  /** Mutations in the outbox (all tabs). */
  waiting: number;
  /** The last failure, cleared by the next success. */
  error: string | null;
}

type Listener = (status: SyncStatus) => void;

/** A tiny observable value, framework-free so the sync engine stays testable without a UI. */
export class StatusStore {
  private value: SyncStatus;
  private readonly listeners = new Set<Listener>();

  constructor(initial: Partial<SyncStatus> = {}) {
    this.value = { online: true, syncing: false, waiting: 0, error: null, ...initial };
  }

  get(): SyncStatus {
    return this.value;
  }

  set(patch: Partial<SyncStatus>): void {
    const next = { ...this.value, ...patch };
    if ((Object.keys(next) as (keyof SyncStatus)[]).every((key) => next[key] === this.value[key])) return;
    this.value = next;
    for (const listener of this.listeners) listener(next);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.value);
    return () => this.listeners.delete(listener);
  }
}

/** What the indicator says, as one word. */
export function statusKind(status: SyncStatus): 'offline' | 'syncing' | 'waiting' | 'online' {
  if (!status.online) return 'offline';
  if (status.syncing) return 'syncing';
  if (status.waiting > 0) return 'waiting';
  return 'online';
}
