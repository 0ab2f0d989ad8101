import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FanoutBus, FanoutListener, FanoutTopic } from './fanout-bus.ts';
import { decodeEnvelope, encodeEnvelope } from './fanout-envelope.ts';
import { FanoutListeners } from './fanout-listeners.ts';

/** The one LISTEN/NOTIFY channel every Desk instance on a database shares. */
export const FANOUT_CHANNEL = 'desk_fanout';

export type FanoutConnectionState = 'connecting' | 'listening' | 'closed';

export interface PostgresFanoutOptions {
  connectionString: string;
  /** Reconnect delays: the first, doubled per failed attempt up to the last (each with jitter). */
  retryFirstMs?: number;
  retryMaxMs?: number;
}

/**
 * Several instances on one PostgreSQL: each holds its own `pg` connection that LISTENs on
 * `desk_fanout` and NOTIFYs there after its commits, with a cursor or an id, never data (NOTIFY is
 * delivered at commit, in commit order, to every listening connection; the payload must stay
 * under 8,000 bytes). A publish reaches this instance's subscribers at once, without the round trip.
 *
 * A lost connection reconnects with backoff. Whatever was published meanwhile may be lost in
 * both directions, so after reconnecting every subscriber here gets a `catch-up` (they read the
 * database), and the other instances get one for each topic this instance published on while away.
 */
export class PostgresFanout implements FanoutBus {
  /** Tells this instance's notifications from the others' (and names its connection). */
  readonly instanceId = randomBytes(6).toString('hex');
  private readonly listeners = new FanoutListeners();
  private readonly stateListeners = new Set<(state: FanoutConnectionState) => void>();
  private client: pg.Client | null = null;
  private state: FanoutConnectionState = 'connecting';
  private everListened = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private started: Promise<void> | null = null;
  /** Topics published on while no connection could carry the NOTIFY. */
  private readonly unsent = new Set<FanoutTopic>();
  /** NOTIFYs waiting for the one before them to answer. */
  private readonly outgoing: { topic: FanoutTopic; text: string }[] = [];
  private sending = false;
  private readonly retryFirstMs: number;
  private readonly retryMaxMs: number;

  constructor(private readonly options: PostgresFanoutOptions) {
    this.retryFirstMs = options.retryFirstMs ?? 100;
    this.retryMaxMs = options.retryMaxMs ?? 5_000;
  }

  /** The connection's `application_name`, to find it in pg_stat_activity. */
  get applicationName(): string {
    return `desk-fanout-${this.instanceId}`;
  }

  get connectionState(): FanoutConnectionState {
    return this.state;
  }

  onState(listener: (state: FanoutConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => void this.stateListeners.delete(listener);
  }

  /** Resolves at the first LISTEN; until then it keeps retrying (the database may still be starting). */
  start(): Promise<void> {
    this.started ??= new Promise<void>((resolve, reject) => {
      const off = this.onState((state) => {
        if (state === 'listening') resolve();
        else if (state === 'closed') reject(new Error('the fan-out bus was closed before it connected'));
        else return;
        off();
      });
      void this.connect();
    });
    return this.started;
  }

  publish(topic: FanoutTopic, payload: string): void {
    const text = encodeEnvelope({ kind: 'published', topic, instance: this.instanceId, payload });
    this.listeners.deliver(topic, { kind: 'published', payload, origin: 'here' });
    this.notify(topic, text);
  }

  subscribe(topic: FanoutTopic, listener: FanoutListener): () => void {
    return this.listeners.add(topic, listener);
  }

  async close(): Promise<void> {
    this.setState('closed');
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private notify(topic: FanoutTopic, text: string): void {
    if (this.state !== 'listening' || !this.client) {
      this.unsent.add(topic);
      return;
    }
    this.outgoing.push({ topic, text });
    if (!this.sending) void this.sendOutgoing();
  }

  /**
   * One query at a time on the LISTEN connection (pg queues a second one but warns, and pg 9 will
   * refuse it): what was published while a NOTIFY was out goes in the next one, as a batch, in order.
   */
  private async sendOutgoing(): Promise<void> {
    this.sending = true;
    while (this.outgoing.length > 0) {
      const client = this.state === 'listening' ? this.client : null;
      const batch = this.outgoing.splice(0);
      if (!client) {
        for (const { topic } of batch) this.unsent.add(topic);
        break;
      }
      try {
        // In array order; PostgreSQL folds identical payloads of one statement into one, which are
        // the same poke anyway.
        await client.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [FANOUT_CHANNEL, batch.map(({ text }) => text)]);
      } catch {
        // The connection broke under these NOTIFYs. If a new one is already up, it was too late to
        // carry the catch-up for their topics: send it now; otherwise the reconnect will.
        for (const { topic } of batch) this.unsent.add(topic);
        if (this.state === 'listening' && this.client !== client) this.flushUnsent();
      }
    }
    this.sending = false;
  }

  private flushUnsent(): void {
    const topics = [...this.unsent];
    this.unsent.clear();
    for (const topic of topics) this.notify(topic, encodeEnvelope({ kind: 'catch-up', topic, instance: this.instanceId }));
  }

  private async connect(): Promise<void> {
    if (this.state === 'closed') return;
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: this.applicationName, keepAlive: true });
    this.client = client;
    // Stays attached for good: a dead client may still report errors after we let it go.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (message) => {
      if (client === this.client && message.channel === FANOUT_CHANNEL && message.payload) this.heard(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${FANOUT_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (client !== this.client || this.isClosed()) return;
    const reconnected = this.everListened;
    this.everListened = true;
    this.failures = 0;
    this.setState('listening');
    if (reconnected) console.log('[desk] fan-out bus reconnected: every open stream catches up');
    // What we published while away never reached the others: they look for themselves.
    this.flushUnsent();
    // What the others published while we were away never reached us: every stream here looks.
    if (reconnected) this.listeners.deliverEverywhere({ kind: 'catch-up' });
  }

  private lost(client: pg.Client, error: unknown): void {
    if (client !== this.client || this.state === 'closed') return;
    this.client = null;
    void client.end().catch(() => {});
    const delay = Math.min(this.retryMaxMs, this.retryFirstMs * 2 ** this.failures) * (0.5 + Math.random() / 2);
    if (this.failures === 0) {
      const reason = error instanceof Error ? error.message : 'the connection ended';
      console.warn(`[desk] fan-out bus lost its PostgreSQL connection (${reason}); reconnecting`);
    }
    this.failures++;
    this.setState('connecting');
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private heard(text: string): void {
    const envelope = decodeEnvelope(text);
    if (!envelope || envelope.instance === this.instanceId) return;
    switch (envelope.kind) {
      case 'published':
        this.listeners.deliver(envelope.topic, { kind: 'published', payload: envelope.payload, origin: 'elsewhere' });
        return;
      case 'catch-up':
        this.listeners.deliver(envelope.topic, { kind: 'catch-up' });
        return;
      default:
        envelope satisfies never;
    }
  }

  /** A method, not a field read: the state may change across an await, which narrowing ignores. */
  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private setState(state: FanoutConnectionState): void {
    if (this.state === state || this.state === 'closed') return;
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
