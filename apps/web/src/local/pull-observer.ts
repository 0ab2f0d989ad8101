import type { PullResponse } from '@desk/core';
import type { DeskDb } from './db.ts';
import type { SyncTransport } from './transport.ts';

/**
 * Lets features see each pulled page of server changes **before** it is applied to the local
 * store, so they can compare it with what the screen showed (alerts) or index it (search).
 * What the agent did on this device is already on screen (optimistic rows), so a change that
 * differs from the screen was made by someone else.
 */
export interface PulledPage {
  page: PullResponse;
  /** The cursor the page was asked from: 0 is the bootstrap (the whole data set, nothing "new"). */
  from: number;
  db: DeskDb;
  agentId: string;
}

export type PullListener = (pulled: PulledPage) => void | Promise<void>;

const listeners = new Set<PullListener>();

/** Called for every page the leader tab pulls; returns the unsubscribe function. */
export function onPulledPage(listener: PullListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Wraps a transport so that pulled pages, and pages the event stream carried, go through the listeners before the engine applies them. */
export function observedTransport(inner: SyncTransport, target: () => { db: DeskDb; agentId: string } | null): SyncTransport {
  // Every listener is called at once, in the same turn: the reads each one starts (the alerts' look at the
  // screen) are IndexedDB transactions created before the page's write, which IndexedDB runs first.
  const notify = async (page: PullResponse, from: number) => {
    const current = target();
    if (!current || page.changes.length === 0) return;
    await Promise.all(
      [...listeners].map(async (listener) => {
        try {
          await listener({ page, from, db: current.db, agentId: current.agentId });
        } catch (error) {
          // A feature's failure must never stop the sync.
          console.error('[desk] pull listener failed', error);
        }
      }),
    );
  };
  return {
    push: (request, epoch) => inner.push(request, epoch),
    pull: async (cursor, epoch, limit) => {
      const page = await inner.pull(cursor, epoch, limit);
      await notify(page, cursor);
      return page;
    },
    received: notify,
    ...(inner.snapshot && {
      snapshot: async (query) => {
        const answer = await (inner.snapshot as NonNullable<SyncTransport['snapshot']>)(query);
        // A first download: listeners see it as a bootstrap page (from 0: nothing in it is "new").
        await notify({ cursor: 0, changes: answer.changes, lastMutationIds: {}, hasMore: true, epoch: answer.epoch }, 0);
        return answer;
      },
    }),
  };
}
