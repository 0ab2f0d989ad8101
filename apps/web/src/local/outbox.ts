import { mentionedAgents, type Mutation, type MutationArgsOf, type MutationError, type MutationName, type MutationResult, parseMutation, type PullResponse, type SyncEntity, ticketIdOf } from '@desk/core';
import Dexie from 'dexie';
import { type Applied, applyMutation, type Key, keyString, keysOf, readsOf } from './apply.ts';
import { type BaseRow, type DeskDb, getMeta, META, type OutboxEntry, setMeta, tableOf, toLocal } from './db.ts';
import { type ArmedId, chooseId, type EarlyPushes, fillerEntry, SKIP_ID_MUTATION } from './mutation-ids.ts';

/**
 * The outbox and the rebase. Every action writes its optimistic rows and its outbox entry in one
 * transaction. The server's rows for anything a pending mutation touches are kept in `base`;
 * whenever the base changes or a mutation leaves the outbox, the view is recomputed as "base +
 * pending mutations in order", so the screen never flickers back and never shows an action twice.
 */

function syncTables(db: DeskDb) {
  return [db.tickets, db.messages, db.contacts, db.agents, db.intents, db.integration, db.reads, db.cannedReplies, db.outbox, db.base, db.notices, db.meta];
}

/**
 * `alone`: the new outbox entry, when no other entry was waiting to be pushed (it can go out at once, by itself);
 * `pushedEarly`: it was handed to `early.push` before its commit (nothing left to push for it).
 */
export type ActionResult = { ok: true; mutationId: number; alone?: OutboxEntry; pushedEarly?: true } | { ok: false; error: MutationError };

/** The leader tab's early push (local/mutation-ids.ts): the key it holds, and what sends an entry. */
export interface EarlyPush {
  pushes: EarlyPushes;
  /** Called inside the action's transaction, before its commit, with the entry to send alone. */
  push: (entry: OutboxEntry) => void;
}

function entryMutation(entry: OutboxEntry): Mutation | null {
  const parsed = parseMutation(entry.name, entry.args);
  return parsed.ok ? parsed.mutation : null;
}

async function readRows(db: DeskDb, keys: readonly Key[]): Promise<Map<string, unknown>> {
  const values = await Promise.all(keys.map((key) => tableOf(db, key[0]).get(key[1])));
  return new Map(keys.map((key, i) => [keyString(key), values[i]]));
}

async function writeRow(db: DeskDb, entity: Key[0], id: string, row: unknown): Promise<void> {
  if (row === null || row === undefined) await tableOf(db, entity).delete(id);
  else await tableOf(db, entity).put(row);
}

/** Runs an agent's action: checks the rules on the local copy, shows the result, queues it. */
export async function mutate<N extends MutationName>(
  db: DeskDb,
  agentId: string,
  name: N,
  args: MutationArgsOf<N> | Record<string, unknown>,
  /** Told the rows the action writes as soon as they are known, before its transaction commits (optimistic screen). */
  options: {
    onRows?: (rows: readonly { entity: Key[0]; id: string; row: unknown }[]) => void;
    /** The leader tab pushes an action alone in the outbox while its commit runs (mutation-ids.ts says why that is safe). */
    early?: EarlyPush;
  } = {},
): Promise<ActionResult> {
  const parsed = parseMutation(name, args);
  if (!parsed.ok) return parsed;
  const mutation = parsed.mutation;
  const now = new Date().toISOString();
  const early = options.early;
  const rearm = early?.pushes.newKey() ?? null;
  const result = await db.transaction('rw', syncTables(db), async (): Promise<ActionResult> => {
    const keys = keysOf(mutation, agentId);
    const reads = readsOf(mutation, agentId);
    // Every read at once (one round trip to IndexedDB, not one per read): the action's time to screen.
    const [current, agents, bases, nextId, armed, pending] = await Promise.all([
      readRows(db, reads),
      db.agents.toArray(),
      db.base.bulkGet(keys.map((key): [string, string] => [key[0], key[1]])),
      getMeta<number>(db, META.nextMutationId),
      getMeta<ArmedId>(db, META.armedMutationId),
      db.outbox.toArray(),
    ]);
    const activeAgents = new Set(agents.filter((a) => a.active).map((a) => a.id));
    const applied: Applied = applyMutation(mutation, (entity, id) => current.get(keyString([entity, id])), {
      agentId,
      now,
      isActiveAgent: (id) => activeAgents.size === 0 || activeAgents.has(id),
      // A note's `@name`s, shown at once; the server works them out again from its own team list.
      mentionsIn: (text) => mentionedAgents(text, agents, agentId),
    });
    if (!applied.ok) return applied;
    // From here this transaction owns the armed key: if it does not commit, nobody holds it any more.
    const held = early?.pushes.take() ?? null;
    const alone = !pending.some((other) => !other.pushedAt);
    const choice = chooseId(nextId, armed, held, alone);
    const mutationId = choice.id;
    const entry: OutboxEntry = { id: mutationId, name, args: mutation.args, createdAt: now };
    // Sent first (the other agents wait for it), out of the transaction's zone: the push's own transactions are not part of this one.
    if (choice.early && early) Dexie.ignoreTransaction(() => early.push(entry));
    options.onRows?.(applied.rows);
    const writes: Promise<unknown>[] = [];
    keys.forEach((key, i) => {
      // First pending change to this row: what we have is the server's copy; keep it as the base.
      if (!bases[i]) writes.push(db.base.put({ entity: key[0], id: key[1], row: current.get(keyString(key)) ?? null }));
    });
    for (const { entity, id, row } of applied.rows) writes.push(writeRow(db, entity, id, row));
    if (choice.filler !== null) writes.push(db.outbox.add(fillerEntry(choice.filler, now)));
    writes.push(setMeta(db, META.nextMutationId, mutationId + 1));
    // The leader arms the next id for itself; another tab's arm is spent (filled) or stale once an id is taken.
    if (rearm !== null) writes.push(setMeta(db, META.armedMutationId, { id: mutationId + 1, key: rearm } satisfies ArmedId));
    else if (armed) writes.push(db.meta.delete(META.armedMutationId));
    writes.push(db.outbox.add(entry));
    await Promise.all(writes);
    if (choice.early) return { ok: true, mutationId, pushedEarly: true };
    return alone && choice.filler === null ? { ok: true, mutationId, alone: entry } : { ok: true, mutationId };
  });
  // Committed: the next id is armed for this tab. (A refused action took no key and wrote nothing.)
  if (result.ok && rearm !== null) early?.pushes.hold(rearm);
  return result;
}

/**
 * Recomputes the given rows as base + the pending mutations that touch them (in id order).
 * A row no pending mutation touches any more is the server's again and leaves `base`.
 */
async function rebase(db: DeskDb, agentId: string, keys: Iterable<Key>, outbox?: readonly OutboxEntry[]): Promise<void> {
  const wantedKeys = [...keys];
  if (wantedKeys.length === 0) return;
  const pending = outbox ?? (await db.outbox.orderBy('id').toArray());
  const mutations = pending.map((entry) => ({ entry, mutation: entryMutation(entry) }));
  for (const key of wantedKeys) {
    const base = (await db.base.get([key[0], key[1]])) as BaseRow | undefined;
    if (!base) continue;
    const wanted = keyString(key);
    let row: unknown = base.row;
    let touching = 0;
    for (const { entry, mutation } of mutations) {
      if (!mutation || !keysOf(mutation, agentId).some((k) => keyString(k) === wanted)) continue;
      touching += 1;
      const view = new Map<string, unknown>([[wanted, row ?? undefined]]);
      // The other rows it reads (a reply's ticket) as the screen shows them now.
      for (const read of readsOf(mutation, agentId)) {
        if (keyString(read) !== wanted) view.set(keyString(read), await tableOf(db, read[0]).get(read[1]));
      }
      const applied = applyMutation(mutation, (entity, id) => view.get(keyString([entity, id])), { agentId, now: entry.createdAt });
      // A pending change the server's new state no longer allows shows nothing; the push will tell why.
      if (applied.ok) row = applied.rows.find((r) => keyString([r.entity, r.id]) === wanted)?.row ?? row;
    }
    await writeRow(db, key[0], key[1], row);
    if (touching === 0) await db.base.delete([key[0], key[1]]);
  }
}

/** Outbox entries a final page confirms: answered `applied` and covered by the server's last mutation id. */
function confirmedBy(pending: readonly OutboxEntry[], lastMutationId: number): OutboxEntry[] {
  // Only entries whose push was answered `applied` leave here; an entry the server processed
  // but whose answer we never got is pushed again to learn its recorded result (never silently dropped).
  return pending.filter((entry) => entry.id <= lastMutationId && entry.pushedAt);
}

/**
 * Applies one pulled page in one IndexedDB transaction. Rows shadowed by pending mutations update
 * their base and are rebased; others are written as they come. On the last page (the server's
 * snapshot is then complete) mutations the server has applied leave the outbox. With `from` (a page
 * the event stream carried), the page applies only if the local cursor is still `from`: answers
 * whether it applied.
 */
export async function applyPull(db: DeskDb, agentId: string, clientId: string, page: PullResponse, options: { from?: number; snapshot?: boolean } = {}): Promise<boolean> {
  return db.transaction('rw', syncTables(db), async () => {
    // Every read at once (one round trip), then every write at once: a stream-carried page is on the
    // agent-to-agent path. A bootstrap page is 1000 rows: the (small) base is read once and each
    // table written in bulk, never a read and a put per row.
    const [bases, cursor, pending] = await Promise.all([
      db.base.toArray(),
      options.from === undefined ? Promise.resolve(undefined) : getMeta<number>(db, META.cursor),
      db.outbox.orderBy('id').toArray(),
    ]);
    if (options.from !== undefined && (cursor ?? 0) !== options.from) return false;
    const dirty = new Map<string, Key>();
    const shadowed = new Map(bases.map((base) => [keyString([base.entity, base.id]), base]));
    const writes = new Map<SyncEntity, Map<string, unknown>>();
    const newBases: BaseRow[] = [];
    for (const change of page.changes) {
      const row = change.op === 'put' ? toLocal(change.entity, change.id, change.data) : null;
      const key = keyString([change.entity, change.id]);
      const base = shadowed.get(key);
      if (base) {
        newBases.push({ ...base, row });
        dirty.set(key, [change.entity, change.id]);
      } else {
        let table = writes.get(change.entity);
        if (!table) {
          table = new Map();
          writes.set(change.entity, table);
        }
        // A later change to the same row wins, as if written in order.
        table.delete(change.id);
        table.set(change.id, row);
      }
    }
    // A snapshot page (a new device's first download) moves no cursor and confirms nothing.
    const done = page.hasMore || options.snapshot ? [] : confirmedBy(pending, page.lastMutationIds[clientId] ?? 0);
    const ops: Promise<unknown>[] = options.snapshot ? [] : [setMeta(db, META.cursor, page.cursor), setMeta(db, META.epoch, page.epoch)];
    if (newBases.length > 0) ops.push(db.base.bulkPut(newBases));
    for (const [entity, rows] of writes) {
      const puts: unknown[] = [];
      const deletes: string[] = [];
      for (const [id, row] of rows) {
        if (row === null || row === undefined) deletes.push(id);
        else puts.push(row);
      }
      if (deletes.length > 0) ops.push(tableOf(db, entity).bulkDelete(deletes));
      if (puts.length > 0) ops.push(tableOf(db, entity).bulkPut(puts));
    }
    if (done.length > 0) ops.push(db.outbox.bulkDelete(done.map((entry) => entry.id)));
    await Promise.all(ops);
    for (const entry of done) {
      const mutation = entryMutation(entry);
      if (mutation) for (const key of keysOf(mutation, agentId)) dirty.set(keyString(key), key);
    }
    // The base only holds rows under pending mutations (a handful): rebase them all, since a
    // pending reply also depends on its ticket, which may have arrived in this page.
    for (const [key, base] of shadowed) dirty.set(key, [base.entity, base.id]);
    const left = done.length > 0 ? pending.filter((entry) => !done.includes(entry)) : pending;
    await rebase(db, agentId, dirty.values(), left);
    return true;
  });
}

/**
 * Entries the server has applied whose confirmation came before their push's answer (the stream's
 * page can overtake the push response): they leave now, as a final page would have taken them.
 */
export async function confirmPushed(db: DeskDb, agentId: string, lastMutationId: number): Promise<void> {
  await db.transaction('rw', syncTables(db), async () => {
    const pending = await db.outbox.orderBy('id').toArray();
    const done = confirmedBy(pending, lastMutationId);
    if (done.length === 0) return;
    await db.outbox.bulkDelete(done.map((entry) => entry.id));
    const dirty = new Map<string, Key>();
    for (const entry of done) {
      const mutation = entryMutation(entry);
      if (mutation) for (const key of keysOf(mutation, agentId)) dirty.set(keyString(key), key);
    }
    await rebase(db, agentId, dirty.values(), pending.filter((entry) => !done.includes(entry)));
  });
}

/** Records the server's answers: applied entries wait for the pull; refused ones are undone and told. */
export async function applyPushResults(db: DeskDb, agentId: string, results: readonly MutationResult[]): Promise<void> {
  if (results.length === 0) return;
  await db.transaction('rw', syncTables(db), async () => {
    const dirty = new Map<string, Key>();
    const now = new Date().toISOString();
    for (const result of results) {
      const entry = await db.outbox.get(result.id);
      if (!entry) continue;
      // A filler's answer is that of the lost action whose id it fills, if that reached the server: nothing to undo or tell.
      if (result.status === 'applied' || entry.name === SKIP_ID_MUTATION) {
        await db.outbox.update(entry.id, { pushedAt: now });
        continue;
      }
      const mutation = entryMutation(entry);
      if (mutation) for (const key of keysOf(mutation, agentId)) dirty.set(keyString(key), key);
      await db.outbox.delete(entry.id);
      await db.notices.add({
        mutationId: entry.id,
        name: entry.name,
        ticketId: mutation ? ticketIdOf(mutation) : null,
        error: result.error ?? { code: 'rejected', message: 'The server refused this change.' },
        createdAt: now,
        args: entry.args,
      });
    }
    await rebase(db, agentId, dirty.values());
  });
}

/**
 * Forgets the server's data (a `reset_required`), keeping pending work: the next pull
 * bootstraps from 0 and the pending mutations are replayed on top. With a new epoch the old
 * client id means nothing to the server: take a new one and number the pending mutations from 1.
 */
export async function resetLocal(db: DeskDb, agentId: string, options: { newClientId?: string } = {}): Promise<void> {
  await db.transaction('rw', syncTables(db), async () => {
    const pending = await db.outbox.orderBy('id').toArray();
    await Promise.all([db.tickets, db.messages, db.contacts, db.agents, db.intents, db.integration, db.reads, db.cannedReplies, db.base].map((t) => t.clear()));
    await setMeta(db, META.cursor, 0);
    await db.meta.delete(META.epoch);
    if (options.newClientId) {
      await db.outbox.clear();
      await db.meta.delete(META.armedMutationId);
      let next = 1;
      // A new client has spent no id: fillers are dropped, the actions numbered from 1.
      for (const entry of pending.filter((e) => e.name !== SKIP_ID_MUTATION)) {
        const { pushedAt: _pushed, ...rest } = entry;
        await db.outbox.add({ ...rest, id: next });
        next += 1;
      }
      await setMeta(db, META.clientId, options.newClientId);
      await setMeta(db, META.nextMutationId, next);
    }
    // Pending rows are shadowed from the start, so bootstrap pages land in their base and are rebased.
    for (const entry of pending) {
      const mutation = entryMutation(entry);
      if (!mutation) continue;
      for (const key of keysOf(mutation, agentId)) await db.base.put({ entity: key[0], id: key[1], row: null });
    }
  });
}
