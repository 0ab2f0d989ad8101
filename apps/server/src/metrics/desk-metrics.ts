import { AggregatorRegistry, Counter, Gauge, Histogram, type MetricObjectWithValues, type MetricValue, Registry } from 'prom-client';

/** Metrics as prom-client writes them out as JSON (what crosses from the processing thread). */
export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** What the metrics read from the database at scrape time (never on the request path). */
export interface MetricSources {
  inboxDepth(): Promise<{ pending: number; oldestReceivedAt: string | null }>;
  /** Outbound messages waiting (pending) or given up on (failed), per channel. */
  outboxByChannel(): Promise<{ channel: string; state: 'pending' | 'failed'; count: number }[]>;
}

/**
 * Desk's Prometheus metrics (prom-client, one registry per server so tests stay apart). Counters and
 * histograms are fed where things happen; the queue gauges are read from SQLite when scraped.
 */
export class DeskMetrics {
  readonly registry = new Registry();
  readonly processedMessages: Counter;
  readonly setAsideEvents: Counter;
  readonly webhookLatency: Histogram<'source' | 'status'>;
  readonly sseClients: Gauge<'stream'>;
  readonly nluSeconds: Histogram;
  /** One histogram child per source and status, looked up once (labels are hashed on every lookup). */
  private readonly webhookChildren = new Map<string, { observe(value: number): void }>();
  /** Where the processing thread's counters are asked for at scrape time (see `countFrom`). */
  private processing: (() => Promise<MetricsJson>) | null = null;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    this.processedMessages = new Counter({
      name: 'desk_inbox_processed_messages_total',
      help: 'Inbound messages the processor stored through the engine (redeliveries included).',
      registers,
    });
    this.setAsideEvents = new Counter({
      name: 'desk_inbox_set_aside_total',
      help: 'Inbox events that kept throwing and were set aside for an admin to look at.',
      registers,
    });
    this.webhookLatency = new Histogram({
      name: 'desk_webhook_duration_seconds',
      help: 'Time from a webhook request to its answer (the acknowledgement), by source and status.',
      labelNames: ['source', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.sseClients = new Gauge({ name: 'desk_sse_clients', help: 'Open server-sent event streams (web chat visitors, agents syncing).', labelNames: ['stream'], registers });
    for (const stream of ['webchat', 'sync']) this.sseClients.set({ stream }, 0);
    this.nluSeconds = new Histogram({
      name: 'desk_nlu_duration_seconds',
      help: "Time the bot's NLU took to read one message.",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    });
    new Gauge({
      name: 'desk_inbox_depth',
      help: 'Inbox events waiting for the processor.',
      registers,
      async collect() {
        this.set((await sources.inboxDepth()).pending);
      },
    });
    new Gauge({
      name: 'desk_inbox_oldest_age_seconds',
      help: 'Age of the oldest inbox event waiting for the processor (0 when none waits).',
      registers,
      async collect() {
        const { oldestReceivedAt } = await sources.inboxDepth();
        this.set(oldestReceivedAt ? Math.max(0, (Date.now() - Date.parse(oldestReceivedAt)) / 1000) : 0);
      },
    });
    new Gauge({
      name: 'desk_outbox_messages',
      help: 'Outbound messages pending delivery or failed, per channel.',
      labelNames: ['channel', 'state'],
      registers,
      async collect() {
        const rows = await sources.outboxByChannel();
        this.reset();
        for (const row of rows) this.set({ channel: row.channel, state: row.state }, row.count);
      },
    });
  }

  /**
   * SQLite shared with the processing thread: the time the webhooks' inbox inserts waited for the
   * write lock its transactions hold (inbox/inbox-writer.ts), read at scrape time. A webhook's
   * acknowledgement waits as long as its insert does.
   */
  countInsertLockWaits(seconds: () => number): void {
    new Counter({
      name: 'desk_inbox_insert_lock_wait_seconds_total',
      help: "Time the webhooks' inbox inserts waited for SQLite's write lock while the processing thread held it.",
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(seconds());
      },
    });
  }

  /** Counts an open event stream of this kind; answers the function that uncounts it (once). */
  trackStream(stream: 'webchat' | 'sync'): () => void {
    this.sseClients.inc({ stream });
    let open = true;
    return () => {
      if (open) this.sseClients.dec({ stream });
      open = false;
    };
  }

  /** The text a scrape answers, and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    if (!this.processing) return { body: await this.registry.metrics(), contentType: this.registry.contentType };
    const own = await this.registry.getMetricsAsJSON();
    const theirs = await this.processing().catch((error: unknown) => {
      console.error("[desk] the processing thread's metrics could not be read", error);
      return [];
    });
    // Counters and histograms add up (prom-client's aggregation for cluster workers); the others are this thread's.
    const merged = AggregatorRegistry.aggregate([own, theirs] as Parameters<typeof AggregatorRegistry.aggregate>[0]);
    return { body: await merged.metrics(), contentType: this.registry.contentType };
  }

  /** The processing thread's side: what the processor and the bot counted there (lifecycle/processing-thread.ts). */
  async processingCounts(): Promise<MetricsJson> {
    return Promise.all([this.processedMessages, this.setAsideEvents, this.nluSeconds].map((metric) => metric.get())) as Promise<MetricsJson>;
  }

  /** The request thread's side: a scrape adds the processing thread's counts to this thread's. */
  countFrom(processing: () => Promise<MetricsJson>): void {
    this.processing = processing;
  }

  /** A webhook's acknowledgement took `seconds` (called on every webhook: kept cheap). */
  observeWebhook(source: string, status: number, seconds: number): void {
    const key = `${source} ${status}`;
    let child = this.webhookChildren.get(key);
    if (!child) {
      child = this.webhookLatency.labels(source, String(status));
      this.webhookChildren.set(key, child);
    }
    child.observe(seconds);
  }
}
