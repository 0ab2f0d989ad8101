import { exhaustiveSwitchError, type Message } from '@desk/core';
import type { DBCore, DBCoreIndex, DBCoreMutateRequest, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';

/**
 * `lastMessages`: each ticket's newest message (the list row's preview, and what a tap paints first),
 * keyed by its ticket id. The list reads a page of rows as a few `bulkGet`s; a query per row for its
 * newest message was ~20 IndexedDB cursors (and their promises) per page of 20 rows, the biggest part
 * of a page's read while scrolling on a phone-class CPU.
 *
 * The table is derived: it follows the `messages` table through a Dexie middleware, whatever writes
 * there (a pull, an action, the rebase, eviction, a benchmark's seed), in the same transaction. Every
 * read-write transaction on `messages` takes `lastMessages` along; a put keeps the newer message by the
 * messages index's order (`createdAt`, then id), and a message leaving (deleted, or moved back in time)
 * that was its ticket's newest is replaced by the ticket's newest one left.
 */
export const LAST_MESSAGES = 'lastMessages';
const MESSAGES = 'messages';

/** The messages index's order: `createdAt`, then the message id (IndexedDB orders equal keys by primary key). */
export function isNewer(a: Message, b: Message): boolean {
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);
}

/** The newest message of each ticket among `messages` (those of no ticket aside). */
export function newestByTicket(messages: Iterable<Message>): Map<string, Message> {
  const newest = new Map<string, Message>();
  for (const message of messages) {
    if (!message.ticketId) continue;
    const current = newest.get(message.ticketId);
    if (!current || isNewer(message, current)) newest.set(message.ticketId, message);
  }
  return newest;
}

export const lastMessagesMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'LastMessages',
  create: (down) => ({
    transaction: (stores, mode, options) =>
      down.transaction(mode === 'readwrite' && stores.includes(MESSAGES) && !stores.includes(LAST_MESSAGES) ? [...stores, LAST_MESSAGES] : stores, mode, options),
    table: (name) => {
      const table = down.table(name);
      if (name !== MESSAGES || !down.schema.tables.some((t) => t.name === LAST_MESSAGES)) return table;
      return { ...table, mutate: (req) => mutateMessages(down, table, req) };
    },
  }),
};

async function mutateMessages(down: DBCore, messages: DBCoreTable, req: DBCoreMutateRequest) {
  const lasts = down.table(LAST_MESSAGES);
  const trans = req.trans;
  switch (req.type) {
    case 'add':
    case 'put': {
      const written = newestByTicket(req.values as readonly Message[]);
      const ids = [...written.keys()];
      const [response, current] = await Promise.all([messages.mutate(req), lasts.getMany({ trans, keys: ids })]);
      const puts: Message[] = [];
      const stale: string[] = [];
      ids.forEach((ticketId, i) => {
        const message = written.get(ticketId) as Message;
        const before = current[i] as Message | undefined;
        if (!before || isNewer(message, before)) puts.push(message);
        // The ticket's newest message rewritten: kept when still the newest, else looked up again.
        else if (before.id === message.id) stale.push(ticketId);
      });
      // A write that failed (an `add` of an existing key) left the table as it was: look it up again too.
      if (response.numFailures > 0) stale.push(...puts.splice(0).map((m) => m.ticketId as string));
      if (puts.length > 0) await lasts.mutate({ type: 'put', trans, values: puts });
      await refresh(down, trans, stale);
      return response;
    }
    case 'delete': {
      const gone = ((await messages.getMany({ trans, keys: req.keys })) as (Message | undefined)[]).filter((m): m is Message => m !== undefined);
      const response = await messages.mutate(req);
      const ticketIds = [...new Set(gone.flatMap((m) => (m.ticketId ? [m.ticketId] : [])))];
      const lastsNow = (await lasts.getMany({ trans, keys: ticketIds })) as (Message | undefined)[];
      const goneIds = new Set(gone.map((m) => m.id));
      await refresh(
        down,
        trans,
        ticketIds.filter((_, i) => goneIds.has(lastsNow[i]?.id ?? '')),
      );
      return response;
    }
    case 'deleteRange': {
      // Only `clear()` deletes a range of messages: the whole table.
      const response = await messages.mutate(req);
      await lasts.mutate({ type: 'deleteRange', trans, range: req.range });
      return response;
    }
    default:
      return exhaustiveSwitchError(req, 'mutation');
  }
}

/** Each ticket's newest message as the messages table now has it (none left: no row). */
async function refresh(down: DBCore, trans: DBCoreTransaction, ticketIds: readonly string[]): Promise<void> {
  if (ticketIds.length === 0) return;
  const messages = down.table(MESSAGES);
  const index = messages.schema.getIndexByKeyPath(['ticketId', 'createdAt']) as DBCoreIndex;
  const newest = await Promise.all(
    ticketIds.map(async (ticketId) => {
      const range = { type: 2 /* DBCoreRangeType.Range */, lower: [ticketId, down.MIN_KEY], upper: [ticketId, down.MAX_KEY] };
      const { result } = await messages.query({ trans, values: true, limit: 1, direction: 'prev', query: { index, range } });
      return result[0] as Message | undefined;
    }),
  );
  const lasts = down.table(LAST_MESSAGES);
  const puts = newest.filter((m): m is Message => m !== undefined);
  const deletes = ticketIds.filter((_, i) => newest[i] === undefined);
  if (puts.length > 0) await lasts.mutate({ type: 'put', trans, values: puts });
  if (deletes.length > 0) await lasts.mutate({ type: 'delete', trans, keys: deletes });
}
