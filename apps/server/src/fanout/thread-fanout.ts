import type { MessagePort } from 'node:worker_threads';
import type { FanoutBus, FanoutListener, FanoutTopic } from './fanout-bus.ts';
import { isFanoutTopic } from './fanout-bus.ts';
import { FanoutListeners } from './fanout-listeners.ts';

/**
 * Pokes cross at most once per this long by default: each message costs both threads a structured
 * clone and a wake-up (postMessage was ~3 % of the processing thread's time at a few hundred replies a
 * second, posting every turn). A poke after a quiet spell still crosses at the end of its turn.
 */
const MIN_GAP_MS = 2;

export interface ThreadFanoutOptions {
  /** Pokes cross at most once per this long (ms; default MIN_GAP_MS). */
  minGapMs?: number;
}

/** What crosses the port: one turn's distinct pokes. */
interface ThreadPokes {
  pokes: [FanoutTopic, string][];
}

/**
 * The request thread and the processing thread on one SQLite file (see lifecycle/processing-thread.ts)
 * are two instances as far as the streams and the queues know: each end of a MessageChannel is one
 * of them. A publish reaches this thread's subscribers at once (`here`) and the other thread's
 * (`elsewhere`) with the turn's other pokes in one message (at most one every MIN_GAP_MS); the same
 * poke published twice meanwhile (every webhook nudges the processor) crosses once, and of the sync
 * cursors only the newest. The port delivers in order and loses nothing,
 * so no `catch-up` is ever needed.
 */
export class ThreadFanout implements FanoutBus {
  private readonly listeners = new FanoutListeners();
  private readonly queued = new Map<string, [FanoutTopic, string]>();
  private flushScheduled = false;
  private closed = false;
  /** When the last message crossed (performance.now()). */
  private lastFlush = -Infinity;

  private readonly minGapMs: number;

  constructor(
    private readonly port: MessagePort,
    options: ThreadFanoutOptions = {},
  ) {
    this.minGapMs = options.minGapMs ?? MIN_GAP_MS;
    port.on('message', (message: ThreadPokes) => {
      for (const [topic, payload] of message.pokes) {
        if (isFanoutTopic(topic)) this.listeners.deliver(topic, { kind: 'published', payload, origin: 'elsewhere' });
      }
    });
  }

  publish(topic: FanoutTopic, payload: string): void {
    this.listeners.deliver(topic, { kind: 'published', payload, origin: 'here' });
    if (this.closed) return;
    // Cursors only grow: the turn's newest one tells a stream everything the older ones would.
    const key = topic === 'sync' ? topic : `${topic}\u0000${payload}`;
    const before = this.queued.get(key);
    if (!before || topic !== 'sync' || Number(payload) > Number(before[1])) this.queued.set(key, [topic, payload]);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const wait = this.lastFlush + this.minGapMs - performance.now();
    if (wait > 0) setTimeout(() => this.flush(), wait);
    else setImmediate(() => this.flush());
  }

  subscribe(topic: FanoutTopic, listener: FanoutListener): () => void {
    return this.listeners.add(topic, listener);
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    this.port.close();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queued.size === 0 || this.closed) return;
    const message: ThreadPokes = { pokes: [...this.queued.values()] };
    this.queued.clear();
    this.lastFlush = performance.now();
    this.port.postMessage(message);
  }
}
