import { applyMutation as applyShared, type Mutation, type MutationContext, type MutationOutcome, mutationReads, mutationWrites, type RowReader, type SyncKey } from '@desk/core';
import { toLocal } from './db.ts';

/**
 * The client side of core's mutation registry: what one mutation does to the local rows. Pure:
 * the caller passes the rows it reads (`get`) and writes what comes back. Used both when the agent
 * acts (rules checked, refusals shown at once) and when pending mutations are replayed on top of
 * the server's rows after a pull (rebase). Every mutation's behaviour comes from its one
 * definition in core; this file only turns rows into their local shape (e.g. a ticket's `assignee`).
 */

export type Key = SyncKey;
export const keyString = (key: Key) => `${key[0]}\u0000${key[1]}`;

export type ApplyContext = MutationContext;
export type RowGetter = RowReader;
export type Applied = MutationOutcome;

/** The rows a mutation writes: what the rebase must recompute when it is confirmed or refused. */
export function keysOf(mutation: Mutation, agentId: string): Key[] {
  return mutationWrites(mutation, agentId);
}

/** Every row a mutation reads (those it writes included). */
export function readsOf(mutation: Mutation, agentId: string): Key[] {
  return mutationReads(mutation, agentId);
}

export function applyMutation(mutation: Mutation, get: RowGetter, ctx: ApplyContext): Applied {
  const applied = applyShared(mutation, get, ctx);
  if (!applied.ok) return applied;
  return { ok: true, rows: applied.rows.map(({ entity, id, row }) => ({ entity, id, row: toLocal(entity, id, row) })) };
}
