/** The pokes that cross between the two threads as a bit in shared memory (see ThreadFanout). */
export const BELLS = ['inbox', 'outbox', 'sync'] as const;
export type Bell = (typeof BELLS)[number];

const bitOf = (bell: Bell): number => 1 << BELLS.indexOf(bell);

/** Atomics.waitAsync (ES2024, in Node since 16; the project's lib is ES2023). */
type WaitAsync = (array: Int32Array, index: number, value: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Layout: two Int32 bell words (one per side), then two BigInt64 sync cursors (one per side). */
const BYTES = 24;

/**
 * The request thread and the processing thread wake each other through shared memory for the pokes
 * every message causes: a queue has work (`inbox`, `outbox`) and the change log grew (`sync`, with the
 * newest cursor kept beside the bell). A MessagePort message costs both threads a structured clone,
 * an event and a listener call per message; here a ring is one atomic OR, and only the first ring
 * since the other side last answered wakes it (Atomics.notify), so a stream of rings costs the
 * receiving thread one wake-up per turn of its event loop, whatever their number. Each side rings
 * the other's word and waits on its own.
 */
export class ThreadDoorbell {
  private readonly bells: Int32Array;
  private readonly cursors: BigInt64Array;
  private readonly other: 0 | 1;
  private heard: ((bells: Bell[], cursor: number) => void) | null = null;
  private closed = false;

  /** `side`: 0 for one thread, 1 for the other, on the same `buffer` (ThreadDoorbell.memory()). */
  constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly side: 0 | 1,
  ) {
    this.bells = new Int32Array(buffer, 0, 2);
    this.cursors = new BigInt64Array(buffer, 8, 2);
    this.other = side === 0 ? 1 : 0;
  }

  static memory(): SharedArrayBuffer {
    return new SharedArrayBuffer(BYTES);
  }

  /** Wakes the other side with `bell` (`cursor`: the sync cursor, published after each commit of this thread, in order). */
  ring(bell: Bell, cursor = 0): void {
    // Stored before the bell is rung: the other side reads it after it took the bell.
    if (bell === 'sync') Atomics.store(this.cursors, this.other, BigInt(cursor));
    // Rung since the other side last answered: it will see this bell too, no need to wake it again.
    if (Atomics.or(this.bells, this.other, bitOf(bell)) === 0) Atomics.notify(this.bells, this.other);
  }

  /** Hears this side's bells from now on (one call per wake-up, with every bell rung meanwhile). */
  listen(heard: (bells: Bell[], cursor: number) => void): void {
    this.heard = heard;
    this.wait();
  }

  close(): void {
    this.closed = true;
    // Settles this side's pending wait (it then stops); a pending wait would not keep the thread alive anyway.
    Atomics.notify(this.bells, this.side);
  }

  private wait(): void {
    if (this.closed) return;
    const result = waitAsync(this.bells, this.side, 0);
    // Rung already: answered on the next turn, so that a ringing thread never keeps this one in a loop.
    if (result.async) void result.value.then(() => this.answer());
    else setImmediate(() => this.answer());
  }

  private answer(): void {
    if (this.closed) return;
    const bits = Atomics.exchange(this.bells, this.side, 0);
    try {
      if (bits !== 0) this.heard?.(BELLS.filter((bell) => (bits & bitOf(bell)) !== 0), Number(Atomics.load(this.cursors, this.side)));
    } finally {
      this.wait();
    }
  }
}
