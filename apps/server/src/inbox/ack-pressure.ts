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

/** The processing thread's own share of a window: how much of it it ran and how much it waited for a core (0..1 each). */
export interface ProcessorRun {
  busy: number;
  waiting: number;
}

/**
 * Of the request thread's waits for a core, the share the processor can have caused: no more than the
 * processing thread itself ran meanwhile, and of that only its part of the cores' contenders. The
 * processor's own waits tell how crowded the machine is: a processor that waited as long as it ran
 * shared the cores with about as many other runnable threads again, so a pause of it frees a core
 * that one of those takes about as often as the request thread does (on a machine other processes
 * load, pausing gave the acknowledgements little and delayed every reply).
 */
export function waitsCausedByProcessor(requestWaiting: number, processor: ProcessorRun): number {
  const ran = processor.busy;
  if (ran <= 0) return 0;
  return Math.min(requestWaiting, ran) * (ran / (ran + processor.waiting));
}

/**
 * Whether the acknowledgements starve: the request thread ran more than half the window, counting
 * its waits for a core only as far as the processor can have caused them (waitsCausedByProcessor;
 * waits for cores other processes hold do not come from the processor, which the event loop's
 * utilisation counted).
 */
export function acksStarving(report: Pick<AckPressureReport, 'busy' | 'waiting' | 'arrivals'>, processor: ProcessorRun): boolean {
  return report.arrivals > 0 && report.busy + waitsCausedByProcessor(report.waiting, processor) > ACKS_SATURATED;
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
 * core as far as the processor can have caused them: see acksStarving), the processor runs a quarter of the time and
 * pauses for the rest (the inbox holds the burst); otherwise it runs at full pace. And inserts waiting
 * for the write lock go first (AcksWaiting).
 */
export class AckPressureShare implements ProcessorShare {
  private latest: AckPressureReport | null = null;
  /** This (the processing) thread's own share of the CPU between two reports. */
  private readonly own = new ThreadBusy();
  private ownRun: ProcessorRun = { busy: 0, waiting: 0 };

  constructor(private readonly waiting: AcksWaiting) {}

  acksWaiting(): boolean {
    return this.waiting.any();
  }

  heard(report: AckPressureReport): void {
    this.latest = report;
    const busy = this.own.sample();
    this.ownRun = { busy, waiting: this.own.waiting };
  }

  /** Arrivals are counted where they happen, on the request thread. */
  arrived(): void {}

  pauseAfter(ms: number): number {
    const latest = this.latest;
    const starving = latest !== null && Date.now() - latest.at < STALE_MS && acksStarving(latest, this.ownRun);
    return starving ? ms * STARVING_PAUSE_FACTOR : 0;
  }
}
