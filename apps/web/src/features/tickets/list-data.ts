import { type Agent, TICKET_STATUSES, type TicketStatus } from '@desk/core';
import { type Accessor, createEffect, createMemo, createSignal } from 'solid-js';
import { currentUser } from '../../auth/session.ts';
import type { DeskDb } from '../../local/index.ts';
import { searchDbFor, ensureIndex, searchTicketIds } from '../../local/search-index.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';
import { ticketIds } from '../../local/ticket-ids.ts';
import { agentsByName, listRows, type RowData } from '../../local/ticket-data.ts';
import { assigneeValues, type ListQuery } from './list-params.ts';

/** Reactive reads behind the ticket list: ordered ids for the whole list, rows for what is on screen. */

export interface ListIds {
  ids: string[];
  counts: Record<TicketStatus, number>;
  ready: boolean;
}

const NO_COUNTS = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;

export function useTicketIds(query: Accessor<ListQuery>): Accessor<ListIds> {
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
    { ids: [], counts: NO_COUNTS, ready: false },
  );
}

export type { RowData } from '../../local/ticket-data.ts';

/** The rows of a window of ids (what the virtual list shows, plus a margin). */
export function useRows(ids: Accessor<readonly string[]>): Accessor<Map<string, RowData>> {
  const key = createMemo(() => ids().join(','));
  return useLiveQuery(
    () => {
      const sync = localSync();
      const wanted = key() ? key().split(',') : [];
      const me = currentUser()?.id ?? '';
      if (!sync) return null;
      return () => listRows(sync.db, wanted, me);
    },
    new Map(),
  );
}

/** Every agent (for names), sorted by name. */
export function useAgents(): Accessor<Agent[]> {
  return useLiveQuery(() => {
    const sync = localSync();
    return sync ? () => agentsByName(sync.db) : null;
  }, []);
}
