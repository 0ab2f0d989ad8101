/**
 * How many webhook inserts are waiting for SQLite's write lock right now, in memory both threads see
 * (a SharedArrayBuffer): the request thread counts an insert in when the lock turned it away and out
 * once it is stored; the processing thread, which holds the lock for its batches, ends a batch early
 * and lets them in first (see InboxProcessor). One writer at a time is SQLite's rule; this decides
 * whose turn comes next.
 */
export class AcksWaiting {
  private readonly count: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) {
    this.count = new Int32Array(buffer);
  }

  enter(): void {
    Atomics.add(this.count, 0, 1);
  }

  leave(): void {
    Atomics.sub(this.count, 0, 1);
  }

  any(): boolean {
    return Atomics.load(this.count, 0) > 0;
  }
}
