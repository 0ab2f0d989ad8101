/** The PWA's local store and sync: the UI imports from here only. */
export { type Key, keysOf } from './apply.ts';
export { DeskDb, type LocalRead, type LocalTicket, type Notice, type OutboxEntry } from './db.ts';
export { databaseName } from './database-name.ts';
export { type LocalSync, startLocalSync } from './local-sync.ts';
export { type ActionResult, applyPull, applyPushResults, mutate, resetLocal } from './outbox.ts';
export { listTickets, type TicketListFilter, ticketMessages } from './queries.ts';
export { StatusStore, type SyncStatus, statusKind } from './status.ts';
export { SyncEngine, type SyncEngineOptions } from './sync-engine.ts';
export { httpTransport, ResetRequiredError, type SyncTransport } from './transport.ts';
