import type { MutationName } from '@desk/core';
import type { DeskDb, OutboxEntry } from './db.ts';

/**
 * Mutation ids when an action is pushed before its own IndexedDB commit (the early push).
 *
 * Ids count up from 1 per client and the server is at-most-once on (client, id): an id it has seen
 * is answered with its recorded result and never run again, and a gap stops the batch. An action
 * pushed while its `strict` commit is still running may reach the server although the commit then
 * fails or the tab dies: the stored `nextMutationId` would still call that id free, and the next
 * action would take it and be answered "applied" without ever running.
 *
 * So an id is pushed early only when it was armed: an earlier, committed transaction stored
 * `armed = {id, key}`, and the tab pushing holds `key` in memory (the leader tab; a key is taken by
 * one transaction only). The action's transaction uses the id and arms the next one with a new key,
 * which the tab holds once that commit has succeeded (so a leader's first action is pushed after its
 * commit, and arms the ones after it). If the commit fails or the tab dies, what is stored still
 * reads `armed.id === nextMutationId` under a key nobody holds any more: whichever transaction
 * allocates next (this tab, another tab, the reloaded page, the next leader) first fills that id with
 * `sync.skipId` and takes the one after. The lost action and the filler then share the id: whichever
 * reaches the server first takes it, the other gets its recorded answer. If the action did reach
 * it, its effect comes back with the next pull like anyone's change, and the server did nothing the
 * client cannot learn. No id is ever used for two different actions, none is left out (the server
 * would stop at the gap), and no action waits for the server or for an extra commit.
 */
export interface ArmedId {
  id: number;
  key: string;
}

export const SKIP_ID_MUTATION = 'sync.skipId' satisfies MutationName;

export interface IdChoice {
  /** The action's id. */
  id: number;
  /** An id that may have been spent by a lost early push, to fill with `sync.skipId` before the action. */
  filler: number | null;
  /** Whether the action may be pushed before its commit (its id was armed for this tab, and nothing else waits to be pushed before it). */
  early: boolean;
}

/** The id for the next action (pure): `next` and `armed` as stored, `heldKey` the key this tab holds for this transaction. */
export function chooseId(next: number | undefined, armed: ArmedId | undefined, heldKey: string | null, alone: boolean): IdChoice {
  const id = next ?? 1;
  if (armed?.id !== id) return { id, filler: null, early: false };
  if (heldKey !== null && armed.key === heldKey) return { id, filler: null, early: alone };
  return { id: id + 1, filler: id, early: false };
}

export function fillerEntry(id: number, now: string): OutboxEntry {
  return { id, name: SKIP_ID_MUTATION, args: {}, createdAt: now };
}

/** The armed key the leader tab holds in memory. */
export class EarlyPushes {
  private held: string | null = null;

  /** The key for one transaction (an action started before the previous one committed finds none). */
  take(): string | null {
    const key = this.held;
    this.held = null;
    return key;
  }

  /** A new key, to store with the next armed id. */
  newKey(): string {
    return crypto.randomUUID();
  }

  /** The transaction that stored `key` has committed. */
  hold(key: string): void {
    this.held = key;
  }

  drop(): void {
    this.held = null;
  }
}

/** Changes waiting for the server, as the agent counts them: fillers are not the agent's. */
export function waitingChanges(db: DeskDb): Promise<number> {
  return db.outbox.filter((entry) => entry.name !== SKIP_ID_MUTATION).count();
}
