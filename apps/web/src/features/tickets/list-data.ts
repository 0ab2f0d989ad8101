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
  // Not before the tickets are read: a query for no rows (which still opened a transaction on five
  // tables and read the activity map) was a third of the queries a fling ran.
  const decorations = useLiveQuery(() => {
    const sync = localSync();
    const me = currentUser()?.id ?? '';
    if (!sync || !refs()) return null;
    const wanted = refs()
      .split(',')
      .map((ref) => {
        const [id = '', contactId = '', intentId = ''] = ref.split('|');
        return { id, contactId, intentId: intentId || null };
      });
    return () => rowDecorations(sync.db, wanted, me);
  }, new Map());
  // An action's tickets show before its commit ends (local/optimistic.ts); unchanged rows keep their objects.
  return createMemo<Map<string, RowData>>((previous) => joinRows(tickets().map(withPending), decorations(), previous), new Map());
}

/**
 * Rows are read in pages of this many ids: a page is one pair of live queries. The list reads about
 * 40 rows around the screen either way (see TicketList's READ_AHEAD); pages of 20 read them with half
 * the queries of pages of 10, and a query's own cost (its transaction, Dexie's change tracking, the
 * timer it runs in, the allocations the garbage collector then sweeps while scrolling) is most of it.
 */
export const ROW_PAGE = 20;

/**
 * The rows of the list's pages that overlap `range` (indexes into `ids`, the virtual list's rows in
 * view plus its overscan). Each page has its own live queries, kept while the page is in range: while
 * scrolling, only a page coming into range is read (ten rows, not the whole window again), and the
 * rows already on screen keep their objects, so they don't re-render.
 */
export function useRowPages(ids: Accessor<readonly string[]>, range: Accessor<{ from: number; to: number } | null>): Accessor<Map<string, RowData>> {
  // The pages under the range: it moves every frame of a fling, the pages every 20 rows; the keys are
  // built only when the pages (or the ids) change, not every frame.
  const pageSpan = createMemo<{ first: number; last: number } | null>(
    () => {
      const current = range();
      const count = ids().length;
      if (!current || count === 0) return null;
      return { first: Math.floor(current.from / ROW_PAGE), last: Math.floor(Math.min(current.to, count - 1) / ROW_PAGE) };
    },
    null,
    { equals: (a, b) => a?.first === b?.first && a?.last === b?.last },
  );
  const pageKeys = createMemo(
    () => {
      const span = pageSpan();
      const all = ids();
      if (!span) return [] as string[];
      const keys: string[] = [];
      for (let page = span.first; page <= span.last; page++) keys.push(all.slice(page * ROW_PAGE, (page + 1) * ROW_PAGE).join(','));
      return keys;
    },
    [],
    { equals: (a, b) => a.length === b.length && a.every((key, i) => key === b[i]) },
  );
  // Each page keeps its ids (split once, when it comes into range) beside its rows.
  const pages = mapArray(pageKeys, (key) => {
    const pageIds = key.split(',');
    return { ids: pageIds, rows: useRows(() => pageIds) };
  });
  return createMemo<Map<string, RowData>>((previous) => {
    const rows = new Map<string, RowData>();
    for (const page of pages()) {
      const read = page.rows();
      // A page read anew (the list shifted: a ticket moved to the top) keeps showing its rows as they
      // were until its query answers, instead of flashing placeholders.
      for (const id of page.ids) {
        const row = read.get(id) ?? previous.get(id);
        if (row) rows.set(id, row);
      }
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
