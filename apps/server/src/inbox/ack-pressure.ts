import type { AcksWaiting } from './acks-waiting.ts';
import { ACKS_SATURATED, type ProcessorShare, STARVING_PAUSE_FACTOR } from './loop-share.ts';
import { ThreadBusy } from './thread-busy.ts';

/** How long a window of the request thread's activity is looked at before it is reported. */
const WINDOW_MS = 100;
/** A report older than this (the request thread stalled, or stopped reporting) counts as no pressure. */
const STALE_MS = 3 * WINDOW_MS;

/** One window of the request thread: how much of it the thread ran (0..1, see ThreadBusy) and how many events came in. */
export interface AckPressureReport {
  busy: number;
  arrivals: number;
  at: number;
}

/**
 * The request thread's side: measures its own event loop once per window and reports it (to the
 * processing thread). Only windows with arrivals matter; a quiet thread reports once and then waits.
 */
export class AckPressureGauge {
  private arrivals = 0;
  private readonly busy = new ThreadBusy();
  private quiet = false;
  private readonly timer: NodeJS.Timeout;

  constructor(report: (window: AckPressureReport) => void) {
    this.timer = setInterval(() => {
      const busy = this.busy.sample();
      const arrivals = this.arrivals;
      this.arrivals = 0;
      if (arrivals === 0 && this.quiet) return;
      this.quiet = arrivals === 0;
      report({ busy, arrivals, at: Date.now() });
    }, WINDOW_MS);
    this.timer.unref();
  }

  /** An event came in (a webhook, the web chat's POST). */
  arrived(): void {
    this.arrivals += 1;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * The processing thread's side: the processor has a core of its own, yet with two cores and a load
 * generator (or a busy machine) the threads still compete for CPU. While the request thread reports
 * events arriving and itself running more than half of the time (its CPU time: a thread waiting for a
 * core other processes hold is not busy, see ThreadBusy), the processor runs a quarter of the time and
 * pauses for the rest (the inbox holds the burst); otherwise it runs at full pace. And inserts waiting
 * for the write lock go first (AcksWaiting).
 */
export class AckPressureShare implements ProcessorShare {
  private latest: AckPressureReport | null = null;

  constructor(private readonly waiting: AcksWaiting) {}

  acksWaiting(): boolean {
    return this.waiting.any();
  }

  heard(report: AckPressureReport): void {
    this.latest = report;
  }

  /** Arrivals are counted where they happen, on the request thread. */
  arrived(): void {}

  pauseAfter(ms: number): number {
    const latest = this.latest;
    const starving = latest !== null && Date.now() - latest.at < STALE_MS && latest.arrivals > 0 && latest.busy > ACKS_SATURATED;
    return starving ? ms * STARVING_PAUSE_FACTOR : 0;
  }
}
