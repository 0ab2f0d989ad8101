import type { AcksWaiting } from './acks-waiting.ts';
import { ACKS_SATURATED, type ProcessorShare, STARVING_PAUSE_FACTOR } from './loop-share.ts';
import { ThreadBusy } from './thread-busy.ts';

/** How long a window of the request thread's activity is looked at before it is reported. */
const WINDOW_MS = 100;
/** A report older than this (the request thread stalled, or stopped reporting) counts as no pressure. */
const STALE_MS = 3 * WINDOW_MS;

/**
 * One window of the request thread: how much of it the thread ran (0..1, see ThreadBusy), how much of
 * it the thread waited for a core (0..1), and how many events came in.
 */
export interface AckPressureReport {
  busy: number;
  waiting: number;
  arrivals: number;
  at: number;
}

/**
 * Whether the acknowledgements starve: the request thread ran more than half the window, counting
 * the time it waited for a core only up to the share the processing thread itself ran meanwhile (the
 * processor can have caused that much of the wait and no more; waits for cores other processes hold
 * do not hold the processor back, which the event loop's utilisation did).
 */
export function acksStarving(report: Pick<AckPressureReport, 'busy' | 'waiting' | 'arrivals'>, processorBusy: number): boolean {
  return report.arrivals > 0 && report.busy + Math.min(report.waiting, processorBusy) > ACKS_SATURATED;
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
      report({ busy, waiting: this.busy.waiting, arrivals, at: Date.now() });
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
 * events arriving and itself running more than half of the time (its CPU time, plus its waits for a
 * core up to the processor's own share: see acksStarving), the processor runs a quarter of the time and
 * pauses for the rest (the inbox holds the burst); otherwise it runs at full pace. And inserts waiting
 * for the write lock go first (AcksWaiting).
 */
export class AckPressureShare implements ProcessorShare {
  private latest: AckPressureReport | null = null;
  /** This (the processing) thread's own share of the CPU between two reports. */
  private readonly own = new ThreadBusy();
  private ownBusy = 0;

  constructor(private readonly waiting: AcksWaiting) {}

  acksWaiting(): boolean {
    return this.waiting.any();
  }

  heard(report: AckPressureReport): void {
    this.latest = report;
    this.ownBusy = this.own.sample();
  }

  /** Arrivals are counted where they happen, on the request thread. */
  arrived(): void {}

  pauseAfter(ms: number): number {
    const latest = this.latest;
    const starving = latest !== null && Date.now() - latest.at < STALE_MS && acksStarving(latest, this.ownBusy);
    return starving ? ms * STARVING_PAUSE_FACTOR : 0;
  }
}
