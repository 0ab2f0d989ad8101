import { type Agent, TICKET_STATUSES, type TicketStatus } from '@desk/core';
import { type Accessor, createEffect, createMemo, createSignal } from 'solid-js';
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
  // An action's tickets show before its commit ends (local/optimistic.ts).
  return createMemo(() => joinRows(tickets().map(withPending), decorations()));
}

/** Every agent (for names), sorted by name. */
export function useAgents(): Accessor<Agent[]> {
  return useLiveQuery(() => {
    const sync = localSync();
    return sync ? () => agentsByName(sync.db) : null;
  }, []);
}
