import type { DeskDb } from './db.ts';
import { getMeta } from './db.ts';
import { EVICTED_KEY } from './eviction.ts';

export interface StorageUse {
  /** Bytes this origin stores, and may store (null when the browser doesn't say). */
  usage: number | null;
  quota: number | null;
  tickets: number;
  /** Tickets this device dropped (they are on the server). */
  evicted: number;
}

/** What this device stores, for Settings. */
export async function storageUse(db: DeskDb): Promise<StorageUse> {
  const [estimate, tickets, evicted] = await Promise.all([
    navigator.storage?.estimate?.().catch(() => null) ?? Promise.resolve(null),
    db.tickets.count(),
    getMeta<number>(db, EVICTED_KEY),
  ]);
  return { usage: estimate?.usage ?? null, quota: estimate?.quota ?? null, tickets, evicted: evicted ?? 0 };
}
