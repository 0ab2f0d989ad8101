import { Dexie, liveQuery } from 'dexie';
import { DeskDb, toLocal } from './db.ts';
import { applyPull, mutate } from './outbox.ts';
import { listTickets, ticketMessages } from './queries.ts';
import { localSync } from './solid.ts';
import { SyncEngine } from './sync-engine.ts';
import { ticketIds } from './ticket-ids.ts';

/**
 * The local store's real code, exposed on `window.__deskBench` for the sync benchmark
 * (e2e/bench/sync-bench.ts). Loaded only by a dynamic import when the URL has `?bench`, so
 * normal loads never fetch it.
 */
export const deskBench = { Dexie, liveQuery, DeskDb, toLocal, applyPull, mutate, listTickets, ticketIds, ticketMessages, SyncEngine, localSync };
export type DeskBench = typeof deskBench;

declare global {
  interface Window {
    __deskBench?: DeskBench;
  }
}

window.__deskBench = deskBench;
// Turns on the sync engine's User Timing marks (sync-engine.ts `mark`).
(globalThis as { __deskTrace?: boolean }).__deskTrace = true;
