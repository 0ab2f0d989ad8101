import { type MessagePort, Worker } from 'node:worker_threads';
import type { FanoutBus } from '../fanout/fanout-bus.ts';
import { AckPressureGauge } from '../inbox/ack-pressure.ts';
import type { AcksWaiting } from '../inbox/acks-waiting.ts';
import type { DeskMetrics, MetricsJson } from '../metrics/desk-metrics.ts';
import type { ProcessingThreadData } from './processing-thread-entry.ts';
import type { FromProcessingThread, ToProcessingThread } from './thread-messages.ts';

/**
 * The processing thread's young generation (V8 keeps three semi-spaces' worth: 32 MB each here, 16 at
 * most by default). Every reply allocates short-lived objects (rows, events, the NLU's vectors, the
 * platform call): a larger nursery is collected less often for the same survivors. In CPU profiles
 * at 300 replies/s the thread's garbage collection went from 8.8 % of its time to about 5 %.
 */
const YOUNG_GENERATION_MB = 96;

/** A scrape waits this long for the processing thread's counts, then answers with this thread's alone. */
const METRICS_WAIT_MS = 2_000;

/**
 * The thread's program: the bundle's own output in dist/ (build.mjs) beside main.js; under tsx (src/:
 * development, tests, benchmarks) the entry file, after registering tsx in the thread, which a worker
 * does not inherit. File names are held in variables: the build re-points
 * `new URL('<literal>', import.meta.url)` to src/.
 */
function threadProgram(): { program: URL | string; evaluate: boolean } {
  const here = import.meta.url;
  const built = 'processing-thread.js';
  if (!here.endsWith('.ts')) return { program: new URL(built, here), evaluate: false };
  const source = 'processing-thread-entry.ts';
  const entry = new URL(source, here).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return { program: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, evaluate: true };
}

export interface ProcessingThreadOptions {
  /** SQLite: the processing thread's end of the fan-out channel (ThreadFanout); PostgreSQL: null. */
  fanoutPort: MessagePort | null;
  /** The webhook inserts waiting for SQLite's write lock (the request thread's InboxWriter counts them). */
  acksWaiting: AcksWaiting;
  /** The request thread's bus: its webhook arrivals are counted for the ack pressure. */
  fanout: FanoutBus;
  metrics: DeskMetrics;
  /** The thread stopped without being asked (it crashed): the request thread runs the queues itself. */
  onLost(): void;
}

/**
 * The inbox processor, the outbox and the media and Zendesk queues, in a worker thread with its own
 * database connection (SQLite in WAL mode takes one writer at a time from either; PostgreSQL gives it a
 * pool). The request thread then only authenticates, validates, fills the inbox and answers: the NLU,
 * the engine's transactions and the replies no longer hold up its event loop. What the request thread
 * needs from there comes as an instance's would (fanout/): sync and web chat pokes for the streams,
 * settings changes; /metrics adds the thread's counters; web push goes out from where the event is.
 */
export class ProcessingThread {
  private readonly worker: Worker;
  private readonly gauge: AckPressureGauge;
  private readonly metricsWaiting = new Map<number, (metrics: MetricsJson) => void>();
  private nextMetricsId = 1;
  private stopping = false;
  private running = false;
  private readonly drained: Promise<void>;
  readonly ready: Promise<void>;

  private constructor(options: ProcessingThreadOptions) {
    this.gauge = new AckPressureGauge((report) => this.tell({ type: 'pressure', report }));
    const workerData: ProcessingThreadData = { fanoutPort: options.fanoutPort, acksWaiting: options.acksWaiting.buffer };
    const { program, evaluate } = threadProgram();
    this.worker = new Worker(program, {
      eval: evaluate,
      workerData,
      transferList: options.fanoutPort ? [options.fanoutPort] : [],
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    let markDrained = () => {};
    this.drained = Promise.race([new Promise<void>((resolve) => (markDrained = resolve)), exited]);
    let startFailed = (_error: Error) => {};
    this.ready = new Promise<void>((resolve, reject) => {
      startFailed = reject;
      this.worker.on('message', (message: FromProcessingThread) => {
        switch (message.type) {
          case 'ready':
            this.running = true;
            resolve();
            return;
          case 'metrics':
            this.metricsWaiting.get(message.id)?.(message.metrics);
            this.metricsWaiting.delete(message.id);
            return;
          case 'drained':
            markDrained();
            return;
          case 'failed':
            reject(new Error(message.message));
            return;
          default:
            message satisfies never;
        }
      });
    });
    this.worker.on('error', (error) => console.error('[desk] the processing thread failed', error));
    this.worker.once('exit', (code) => {
      this.gauge.stop();
      for (const answer of this.metricsWaiting.values()) answer([]);
      this.metricsWaiting.clear();
      if (this.stopping) return;
      if (!this.running) return startFailed(new Error(`the processing thread exited with code ${code}`));
      console.error(`[desk] the processing thread exited (code ${code}): this thread runs the queues from now on`);
      options.onLost();
    });
    options.fanout.subscribe('jobs', (poke) => {
      if (poke.kind === 'published' && poke.origin === 'here' && poke.payload === 'inbox') this.gauge.arrived();
    });
    options.metrics.countFrom(() => this.metrics());
  }

  /** Starts the thread; resolves once its queues run (rejects when it could not start). */
  static async start(options: ProcessingThreadOptions): Promise<ProcessingThread> {
    const thread = new ProcessingThread(options);
    try {
      await thread.ready;
    } catch (error) {
      thread.stopping = true;
      await thread.worker.terminate();
      throw error;
    }
    return thread;
  }

  /** SIGTERM: the thread starts no new work (`idle()` settles once it finished and closed its connection). */
  stop(): void {
    this.stopping = true;
    this.gauge.stop();
    this.tell({ type: 'drain' });
  }

  async idle(): Promise<void> {
    await this.drained;
    await this.worker.terminate();
  }

  private metrics(): Promise<MetricsJson> {
    const id = this.nextMetricsId++;
    return new Promise<MetricsJson>((resolve) => {
      const timer = setTimeout(() => {
        this.metricsWaiting.delete(id);
        resolve([]);
      }, METRICS_WAIT_MS);
      this.metricsWaiting.set(id, (metrics) => {
        clearTimeout(timer);
        resolve(metrics);
      });
      this.tell({ type: 'metrics', id });
    });
  }

  private tell(message: ToProcessingThread): void {
    this.worker.postMessage(message);
  }
}
