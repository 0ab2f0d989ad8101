import type { SnapshotQuery, SnapshotResponse } from '@desk/core';

/** A new device's first list page: small, so the default list is on screen at once (sync-engine's bootstrap). */
export const FIRST_TICKET_PAGE = { part: 'ticket', limit: 200 } as const;

let early: Promise<SnapshotResponse | null> | null = null;

/**
 * Asks for a new device's first list page as soon as sign-in succeeds, while the app loads the list
 * and opens its database, rather than after both. Only when the browser holds no database of this
 * agent: a returning device goes on from its cursor and never asks for it.
 */
export function prefetchFirstTicketPage(databaseName: string, fetchPage: () => Promise<SnapshotResponse>): void {
  early = hasDatabase(databaseName)
    .then((known) => (known ? null : fetchPage()))
    .catch(() => null);
}

/** Forgets a page asked for ahead (sign-out: the next session's page is its own). */
export function forgetFirstTicketPage(): void {
  early = null;
}

/** The page asked for ahead, once; null when there is none or it failed (the caller asks itself). */
export function takeFirstTicketPage(): Promise<SnapshotResponse | null> {
  const taken = early;
  early = null;
  return taken ?? Promise.resolve(null);
}

/** A snapshot query as the transport's callers build it (the limit may be left to the server's default). */
type SnapshotQueryOf = Pick<SnapshotQuery, 'part'> & Partial<SnapshotQuery>;

/** A transport's snapshot that answers the first list page from what was asked for ahead, when there is one. */
export function withFirstTicketPage<Q extends SnapshotQueryOf>(fetchPage: (query: Q) => Promise<SnapshotResponse>): (query: Q) => Promise<SnapshotResponse> {
  return async (query) => (isFirstTicketPage(query) ? await takeFirstTicketPage() : null) ?? fetchPage(query);
}

function isFirstTicketPage(query: SnapshotQueryOf): boolean {
  return query.part === FIRST_TICKET_PAGE.part && query.limit === FIRST_TICKET_PAGE.limit && !query.after && !query.ticketId;
}

async function hasDatabase(name: string): Promise<boolean> {
  // A browser without databases() can't tell us: take it as known, and the engine asks after opening.
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return true;
  return (await indexedDB.databases()).some((db) => db.name === name);
}
