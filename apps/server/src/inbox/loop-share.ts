import { performance } from 'node:perf_hooks';

/** How long a window of event-loop activity is looked at before deciding again. */
const WINDOW_MS = 100;

/** How much of its time the inbox processor gives the acknowledgements (see InboxProcessor.yieldLoop). */
export interface ProcessorShare {
  /** An event came in (a webhook): there are requests to serve. */
  arrived(): void;
  /** A batch (or a slice of one) ran for `ms`: how long to pause before the next one. */
  pauseAfter(ms: number): number;
  /** Acknowledgements wait for the database's write lock the batch holds: end the batch after the row under way. */
  acksWaiting(): boolean;
}

/** Past this share of a window busy with other work (the acknowledgements), they are starving. */
export const ACKS_SATURATED = 0.5;
/** While the acknowledgements starve, the processor's time runs with this factor of pause after it (a quarter of the time). */
export const STARVING_PAUSE_FACTOR = (1 - 0.25) / 0.25;

/**
 * How the inbox processor shares the event loop with the webhooks' acknowledgements. Between two
 * batches the loop always serves the requests that arrived (the processor resumes after the I/O
 * phase), so an acknowledgement waits one batch at most. What's left is the split: while the rest of
 * the loop (requests) keeps more than half of it busy, the processor takes a quarter of the time and
 * pauses for the rest; otherwise (or while no event arrives) it runs at full pace, using whatever the
 * requests leave idle. (With the processor in its own thread, inbox/ack-pressure.ts decides instead.)
 */
export class LoopShare implements ProcessorShare {
  private windowStart = performance.now();
  private windowElu = performance.eventLoopUtilization();
  private backgroundMs = 0;
  private arrivals = 0;
  private saturated = false;

  /** On this loop an insert never waits for a batch's lock: it runs once the batch's turn ended (db/). */
  acksWaiting(): boolean {
    return false;
  }

  /** An event came in (a webhook): the loop has requests to serve. */
  arrived(): void {
    this.arrivals += 1;
  }

  /** A batch ran for `ms`: how long to pause before the next one. */
  pauseAfter(ms: number): number {
    this.backgroundMs += ms;
    const now = performance.now();
    const length = now - this.windowStart;
    if (length >= WINDOW_MS) {
      const elu = performance.eventLoopUtilization(this.windowElu);
      const othersMs = Math.max(0, elu.active - this.backgroundMs);
      // Only requests count: with none arriving, the rest is the processor's own aftermath (the replies).
      this.saturated = this.arrivals > 0 && othersMs / length > ACKS_SATURATED;
      this.arrivals = 0;
      this.windowStart = now;
      this.windowElu = performance.eventLoopUtilization();
      this.backgroundMs = 0;
    }
    return this.saturated ? ms * STARVING_PAUSE_FACTOR : 0;
  }
}
