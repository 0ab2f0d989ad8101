import { type Agent, DeskError, type PullResponse, type StreamPoke } from '@desk/core';
import type { SyncPull } from './pull.ts';

/** A poke carries its changes itself when they are at most this many rows… */
export const POKE_ROWS_MAX = 100;
/** …and this many bytes of JSON; past either, it only says there is more and the client pulls. */
export const POKE_BYTES_MAX = 64 * 1024;

/**
 * The `poke` a stream sends after a commit. When the stream knows the cursor the client holds
 * (`from`: from the connection's `cursor`/`Last-Event-ID`, then the last poke it sent) and what
 * changed since fits under the limits, the poke carries that page, built by the same pull (same
 * compaction, permission filter and `lastMutationIds`), so the client applies it without a second
 * round trip. The client applies it only when its cursor is still `from`; otherwise it pulls.
 */
export async function streamPoke(
  pull: SyncPull,
  agent: Agent,
  from: number,
  latest: number,
  epoch: string | undefined,
  /** The page already built from this instance's commits (carried-page.ts), when there is one. */
  built: PullResponse | null = null,
): Promise<{ id: number; data: string; page?: PullResponse }> {
  const bare = (): { id: number; data: string } => ({ id: latest, data: JSON.stringify({ cursor: latest, more: true } satisfies StreamPoke) });
  if (from < 0 || from >= latest) return bare();
  let page: PullResponse;
  if (built && built.cursor === latest) {
    if (built.changes.length > POKE_ROWS_MAX) return bare();
    page = built;
  } else {
    try {
      page = await pull.pull(agent, { cursor: from, limit: POKE_ROWS_MAX, epoch });
    } catch (error) {
      // reset_required and the like: the client learns it from its own pull.
      if (error instanceof DeskError) return bare();
      throw error;
    }
  }
  if (page.hasMore) return bare();
  const data = JSON.stringify({ cursor: page.cursor, more: false, from, page } satisfies StreamPoke);
  if (data.length > POKE_BYTES_MAX) return bare();
  return { id: page.cursor, data, page };
}
