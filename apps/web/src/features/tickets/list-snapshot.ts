import type { TicketStatus } from '@desk/core';
import { AGENT_DATA_PREFIX, currentUser } from '../../auth/session.ts';
import { afterPaint } from '../../shell/after-paint.ts';
import { type ListIds, ROW_PAGE, type RowData } from './list-data.ts';
import type { ListQuery } from './list-params.ts';

/**
 * The first page of the ticket list as it last looked, kept in localStorage: an installed app opened
 * again draws it at once, while IndexedDB opens and the list is read (on a phone-class CPU that is
 * most of the time to the first screen). The list read from the store replaces it as soon as it is
 * there. Per agent and for one list (filters and sort); signing out removes it (auth/session.ts).
 */

/** A phone's first screen of rows (667 px of 104 px rows) and a little more. */
export const SNAPSHOT_ROWS = 10;
/** Bumped whenever what a row holds changes shape: an older snapshot is then ignored. */
const PREFIX = `${AGENT_DATA_PREFIX}listSnapshot.v1:`;
/** A change to the first rows is written this long after it settles (the list can move several times at once). */
const WRITE_DELAY_MS = 1500;

export interface ListSnapshot {
  /** The list it shows (ListQuery as JSON). */
  query: string;
  /**
   * The ids of the list's first page of reads (ROW_PAGE), more than the rows kept: the list read from
   * the store then has the same first page as the placeholder, which is not read a second time.
   */
  ids: string[];
  total: number;
  counts: Record<TicketStatus, number>;
  rows: RowData[];
  /** Names of the agents the rows are assigned to. */
  names: Record<string, string>;
}

/** What the list shows until the store answers. */
export interface ListPlaceholder {
  list: ListIds;
  total: number;
  rows: Map<string, RowData>;
  names: ReadonlyMap<string, string>;
}

const keyOf = (agentId: string) => `${PREFIX}${agentId}`;
const queryKey = (query: ListQuery) => JSON.stringify(query);

function isSnapshot(value: unknown): value is ListSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ListSnapshot>;
  return (
    typeof v.query === 'string' &&
    Array.isArray(v.ids) &&
    v.ids.every((id) => typeof id === 'string') &&
    typeof v.total === 'number' &&
    typeof v.counts === 'object' &&
    v.counts !== null &&
    typeof v.names === 'object' &&
    v.names !== null &&
    Array.isArray(v.rows) &&
    v.rows.every((row) => typeof row?.ticket?.id === 'string')
  );
}

/** The snapshot of this agent's list with these filters, if there is one. */
export function readListPlaceholder(agentId: string | undefined, query: ListQuery): ListPlaceholder | null {
  if (!agentId) return null;
  try {
    const raw = localStorage.getItem(keyOf(agentId));
    const snapshot: unknown = raw ? JSON.parse(raw) : null;
    if (!isSnapshot(snapshot) || snapshot.query !== queryKey(query)) return null;
    return {
      list: { ids: snapshot.ids, counts: snapshot.counts, ready: false },
      total: snapshot.total,
      rows: new Map(snapshot.rows.map((row) => [row.ticket.id, row])),
      names: new Map(Object.entries(snapshot.names)),
    };
  } catch {
    return null;
  }
}

let pending: ReturnType<typeof setTimeout> | undefined;
let written = '';

/** Keeps the first rows of a list read from the store (written a little later, behind other work). */
export function keepListSnapshot(agentId: string, query: ListQuery, list: ListIds, rows: readonly RowData[], agentName: (id: string) => string | undefined): void {
  clearTimeout(pending);
  pending = setTimeout(
    () =>
      afterPaint(() => {
        // Signed out (or someone else signed in) meanwhile: nothing is kept.
        if (currentUser()?.id !== agentId) return;
        const names: Record<string, string> = {};
        for (const row of rows) {
          const id = row.ticket.assigneeId;
          const name = id ? agentName(id) : undefined;
          if (id && name) names[id] = name;
        }
        const snapshot: ListSnapshot = { query: queryKey(query), ids: list.ids.slice(0, ROW_PAGE), total: list.ids.length, counts: list.counts, rows: [...rows], names };
        const json = JSON.stringify(snapshot);
        if (json === written) return;
        try {
          localStorage.setItem(keyOf(agentId), json);
          written = json;
        } catch {
          // Storage full or unavailable: the app opens as it would without a snapshot.
        }
      }),
    WRITE_DELAY_MS,
  );
}

