import { DeskError, ErrorCode } from '@desk/core';

/**
 * Caps how many long-lived connections (event streams) one key (an agent, a visitor, an address)
 * holds at once, so nobody can exhaust the server's sockets and memory with idle streams.
 */
export class StreamCaps {
  private readonly open = new Map<string, number>();

  constructor(private readonly limits: Readonly<Record<string, number>>) {}

  /**
   * Takes a slot under each `kind:key` (the kind names the limit); throws 429 when one is full.
   * Answers the release, to call once when the stream ends.
   */
  acquire(slots: ReadonlyArray<readonly [kind: string, key: string]>): () => void {
    for (const [kind, key] of slots) {
      const limit = this.limits[kind] ?? Number.POSITIVE_INFINITY;
      if ((this.open.get(`${kind}:${key}`) ?? 0) >= limit) {
        throw new DeskError(ErrorCode.tooManyRequests, `Too many open streams (at most ${limit} per ${kind}). Close another tab or try again later.`);
      }
    }
    for (const [kind, key] of slots) this.open.set(`${kind}:${key}`, (this.open.get(`${kind}:${key}`) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const [kind, key] of slots) {
        const left = (this.open.get(`${kind}:${key}`) ?? 1) - 1;
        if (left <= 0) this.open.delete(`${kind}:${key}`);
        else this.open.set(`${kind}:${key}`, left);
      }
    };
  }
}
