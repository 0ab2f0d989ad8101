import type { AckPressureReport } from '../inbox/ack-pressure.ts';
import type { MetricsJson } from '../metrics/desk-metrics.ts';

/** What the request thread tells the processing thread. */
export type ToProcessingThread =
  /** One window of the request thread's load (inbox/ack-pressure.ts). */
  | { type: 'pressure'; report: AckPressureReport }
  /** A scrape of /metrics wants the processing thread's counts. */
  | { type: 'metrics'; id: number }
  /** SIGTERM: start no new work, finish what is under way, close the database, answer `drained`. */
  | { type: 'drain' };

/** What the processing thread tells the request thread. */
export type FromProcessingThread =
  | { type: 'ready' }
  | { type: 'metrics'; id: number; metrics: MetricsJson }
  | { type: 'drained' }
  /** Starting failed: the request thread runs the queues itself. */
  | { type: 'failed'; message: string };
