import { type Agent, TICKET_STATUSES, type TicketStatus } from '@desk/core';
import { type Accessor, createEffect, createMemo, createSignal, mapArray } from 'solid-js';
import { currentUser } from '../../auth/session.ts';
import type { DeskDb } from '../../local/index.ts';
import { searchDbFor, ensureIndex, searchTicketIds } from '../../local/search-index.ts';
import { withPending } from '../../local/optimistic.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';
import { ticketIds } from '../../local/ticket-ids.ts';
import { agentsByName, joinRows, type RowData, rowDecorations, ticketsByIds } from '../../local/ticket-data.ts';
import { assigneeValues, type ListQuery } from './list-params.ts';

/** Reactive reads behind the ticket list: ordered ids for the whole list, rows for what is on screen. */

export interface ListIds {
  ids: string[];
  counts: Record<TicketStatus, number>;
  ready: boolean;
}

const NO_COUNTS = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;

/** The list's ids and counts; `initial` is shown until the store answers (see list-snapshot.ts). */
export function useTicketIds(query: Accessor<ListQuery>, initial?: ListIds): Accessor<ListIds> {
  // The search index is built once per device, outside the live query (which may only read).
  const [indexed, setIndexed] = createSignal<DeskDb | null>(null);
  createEffect(() => {
    const sync = localSync();
    if (!sync || !query().q.trim() || indexed() === sync.db) return;
    void ensureIndex(searchDbFor(sync.db), sync.db).then(() => setIndexed(sync.db));
  });
  return useLiveQuery<ListIds>(
    () => {
      const sync = localSync();
      if (!sync) return null;
      const { statuses, priorities, agents, q, sort } = query();
      const assignees = assigneeValues(agents, currentUser()?.id);
      const searching = q.trim() !== '';
      if (searching && indexed() !== sync.db) return null;
      return async () => {
        const matching = searching ? await searchTicketIds(searchDbFor(sync.db), q) : null;
        const list = await ticketIds(sync.db, { statuses, priorities, assignees, matching, newestFirst: sort === 'newest' });
        return { ...list, ready: true };
      };
    },
    initial ?? { ids: [], counts: NO_COUNTS, ready: false },
  );
}

export type { RowData } from '../../local/ticket-data.ts';

/** The rows of a few ids (a page of the virtual list). */
export function useRows(ids: Accessor<readonly string[]>): Accessor<Map<string, RowData>> {
  const key = createMemo(() => ids().join(','));
  // Two live queries: the tickets (one bulkGet, re-read on every ticket change) and the rest of the
  // rows (re-read only when the window, a contact, a message, a read mark… changes).
  const tickets = useLiveQuery(() => {
    const sync = localSync();
    const wanted = key() ? key().split(',') : [];
    return sync ? () => ticketsByIds(sync.db, wanted) : null;
  }, []);
  const refs = createMemo(() =>
    tickets()
      .flatMap((t) => (t ? [`${t.id}|${t.contactId}|${t.intentId ?? ''}`] : []))
      .join(','),
  );
  const decorations = useLiveQuery(() => {
    const sync = localSync();
    const me = currentUser()?.id ?? '';
    const wanted = refs()
      ? refs()
          .split(',')
          .map((ref) => {
            const [id = '', contactId = '', intentId = ''] = ref.split('|');
            return { id, contactId, intentId: intentId || null };
          })
      : [];
    return sync ? () => rowDecorations(sync.db, wanted, me) : null;
  }, new Map());
  // An action's tickets show before its commit ends (local/optimistic.ts); unchanged rows keep their objects.
  return createMemo<Map<string, RowData>>((previous) => joinRows(tickets().map(withPending), decorations(), previous), new Map());
}

/** Rows are read in pages of this many ids: a page is one pair of live queries. */
export const ROW_PAGE = 10;

/**
 * The rows of the list's pages that overlap `range` (indexes into `ids`, the virtual list's rows in
 * view plus its overscan). Each page has its own live queries, kept while the page is in range: while
 * scrolling, only a page coming into range is read (ten rows, not the whole window again), and the
 * rows already on screen keep their objects, so they don't re-render.
 */
export function useRowPages(ids: Accessor<readonly string[]>, range: Accessor<{ from: number; to: number } | null>): Accessor<Map<string, RowData>> {
  const pageKeys = createMemo(
    () => {
      const current = range();
      const all = ids();
      if (!current || all.length === 0) return [] as string[];
      const keys: string[] = [];
      for (let page = Math.floor(current.from / ROW_PAGE); page * ROW_PAGE <= Math.min(current.to, all.length - 1); page++) {
        keys.push(all.slice(page * ROW_PAGE, (page + 1) * ROW_PAGE).join(','));
      }
      return keys;
    },
    [],
    { equals: (a, b) => a.length === b.length && a.every((key, i) => key === b[i]) },
  );
  const pages = mapArray(pageKeys, (key) => useRows(() => key.split(',')));
  return createMemo<Map<string, RowData>>((previous) => {
    const rows = new Map<string, RowData>();
    for (const page of pages()) for (const [id, row] of page()) rows.set(id, row);
    // A page read anew (the list shifted: a ticket moved to the top) keeps showing its rows as they
    // were until its query answers, instead of flashing placeholders.
    for (const key of pageKeys())
      for (const id of key.split(',')) {
        const before = rows.has(id) ? undefined : previous.get(id);
        if (before) rows.set(id, before);
      }
    return rows;
  }, new Map());
}

/** Every agent (for names), sorted by name. */
export function useAgents(): Accessor<Agent[]> {
  return useLiveQuery(() => {
    const sync = localSync();
    return sync ? () => agentsByName(sync.db) : null;
  }, []);
}
