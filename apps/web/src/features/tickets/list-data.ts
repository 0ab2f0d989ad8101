import { type Agent, type Contact, type Message, TICKET_STATUSES, type TicketStatus } from '@desk/core';
import { Dexie } from 'dexie';
import { type Accessor, createEffect, createMemo, createSignal } from 'solid-js';
import { currentUser } from '../../auth/session.ts';
import type { DeskDb, LocalRead, LocalTicket } from '../../local/index.ts';
import { searchDbFor, ensureIndex, searchTicketIds } from '../../local/search-index.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';
import { ticketIds } from '../../local/ticket-ids.ts';
import { othersActivity } from '../alerts/alerts.ts';
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

export interface RowData {
  ticket: LocalTicket;
  contact: Contact | undefined;
  last: Message | undefined;
  read: LocalRead | undefined;
  othersAt: string | undefined;
  /** The name of the intent that opened the ticket (the end of its subject). */
  intentName: string | undefined;
}

/** The rows of a window of ids (what the virtual list shows, plus a margin). */
export function useRows(ids: Accessor<readonly string[]>): Accessor<Map<string, RowData>> {
  const key = createMemo(() => ids().join(','));
  return useLiveQuery(
    () => {
      const sync = localSync();
      const wanted = key() ? key().split(',') : [];
      const me = currentUser()?.id ?? '';
      if (!sync) return null;
      // One read transaction for the whole window (each query alone would open its own).
      return () => sync.db.transaction('r', [sync.db.tickets, sync.db.contacts, sync.db.reads, sync.db.messages, sync.db.meta, sync.db.intents], async () => {
        const db = sync.db;
        const tickets = (await db.tickets.bulkGet(wanted)).filter((t): t is LocalTicket => t !== undefined);
        const intentIds = [...new Set(tickets.flatMap((t) => (t.intentId ? [t.intentId] : [])))];
        const [contacts, reads, lasts, activity, intents] = await Promise.all([
          db.contacts.bulkGet(tickets.map((t) => t.contactId)),
          db.reads.bulkGet(tickets.map((t) => `${t.id}:${me}`)),
          Promise.all(tickets.map((t) => db.messages.where('[ticketId+createdAt]').between([t.id, Dexie.minKey], [t.id, Dexie.maxKey]).last())),
          othersActivity(db),
          db.intents.bulkGet(intentIds),
        ]);
        const intentName = new Map(intents.flatMap((intent) => (intent ? [[intent.id, intent.name] as const] : [])));
        const map = new Map<string, RowData>();
        tickets.forEach((ticket, i) => {
          map.set(ticket.id, { ticket, contact: contacts[i], read: reads[i], last: lasts[i], othersAt: activity[ticket.id], intentName: ticket.intentId ? intentName.get(ticket.intentId) : undefined });
        });
        return map;
      });
    },
    new Map(),
  );
}

/** Every agent (for names), sorted by name. */
export function useAgents(): Accessor<Agent[]> {
  return useLiveQuery(() => {
    const sync = localSync();
    return sync ? () => sync.db.agents.orderBy('name').toArray() : null;
  }, []);
}
