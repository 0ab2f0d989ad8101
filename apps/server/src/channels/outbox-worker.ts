import type { Channel } from '@desk/core';
import type { ConversationsRepo } from '../conversations/conversations-repo.ts';
import type { MessagesRepo } from '../conversations/messages-repo.ts';
import { type Db, inTransaction } from '../db/database.ts';
import type { EventBus } from '../events/domain-events.ts';
import type { Clock } from '../shared/clock.ts';
import { type ChannelAdapter, ChannelSendError } from './channel-adapter.ts';
import type { OutboxRepo, OutboxRow } from './outbox-repo.ts';

export interface OutboxWorkerOptions {
  /** Delay before the first retry; doubles each attempt. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** After this many attempts a retryable error fails the message too. */
  maxAttempts?: number;
}

interface Deps {
  db: Db;
  clock: Clock;
  events: EventBus;
  outbox: OutboxRepo;
  messages: MessagesRepo;
  conversations: ConversationsRepo;
}

/**
 * Delivers queued outbound messages after their transaction committed: one at a time, with
 * exponential backoff on retryable errors. The queue is in SQLite, so a restart resumes it.
 */
export class OutboxWorker {
  private readonly adapters = new Map<Channel, ChannelAdapter>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxAttempts: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private started = false;

  constructor(
    private readonly deps: Deps,
    options: OutboxWorkerOptions = {},
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 2_000;
    this.maxDelayMs = options.maxDelayMs ?? 15 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 12;
  }

  register(adapter: ChannelAdapter): void {
    this.adapters.set(adapter.channel, adapter);
  }

  /** Delivers what is due now and keeps a timer for what is due later. */
  start(): void {
    this.started = true;
    this.kick();
  }

  stop(): void {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Something was queued: deliver soon (coalesced). */
  kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    setImmediate(() => void this.runDue().catch((err) => console.error('[desk] outbox run failed', err)));
  }

  /** Sends every due row once; answers how many were handled. */
  async runDue(): Promise<number> {
    if (this.running) return this.running;
    this.running = (async () => {
      let handled = 0;
      do {
        this.again = false;
        for (const row of this.deps.outbox.due(this.deps.clock())) {
          await this.deliver(row);
          handled += 1;
        }
      } while (this.again);
      return handled;
    })();
    try {
      return await this.running;
    } finally {
      this.running = null;
      this.schedule();
    }
  }

  private schedule(): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.deps.outbox.nextDueAt();
    if (!next) return;
    const wait = Math.max(0, Math.min(Date.parse(next) - Date.now(), 2_147_000_000));
    this.timer = setTimeout(() => void this.runDue().catch((err) => console.error('[desk] outbox run failed', err)), wait);
    this.timer.unref();
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const { messages, conversations } = this.deps;
    const message = messages.get(row.message_id);
    const conversation = message ? conversations.get(message.conversationId) : null;
    const attempts = row.attempts + 1;
    const adapter = this.adapters.get(row.channel);
    if (!message || !conversation) {
      this.fail(row, attempts, 'The message no longer exists.');
      return;
    }
    if (!adapter) {
      this.retry(row, attempts, `The ${row.channel} channel is not configured.`);
      return;
    }
    try {
      const { channelMessageId } = await adapter.sendText(conversation, message.text);
      this.write(() => {
        this.deps.outbox.markSent(row.id, attempts, this.deps.clock());
        return messages.setDelivery(message.id, { state: 'sent', attempts }, channelMessageId);
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const retryable = !(err instanceof ChannelSendError) || err.retryable;
      if (retryable) this.retry(row, attempts, reason);
      else this.fail(row, attempts, reason);
    }
  }

  private retry(row: OutboxRow, attempts: number, reason: string): void {
    if (attempts >= this.maxAttempts) {
      this.fail(row, attempts, reason);
      return;
    }
    const delay = Math.min(this.baseDelayMs * 2 ** (attempts - 1), this.maxDelayMs);
    const now = this.deps.clock();
    const nextAt = new Date(Date.parse(now) + delay).toISOString();
    this.write(() => {
      this.deps.outbox.retryLater(row.id, attempts, reason, nextAt, now);
      return this.deps.messages.setDelivery(row.message_id, { state: 'pending', attempts, error: reason });
    });
  }

  private fail(row: OutboxRow, attempts: number, reason: string): void {
    this.write(() => {
      this.deps.outbox.markFailed(row.id, attempts, reason, this.deps.clock());
      return this.deps.messages.get(row.message_id)
        ? this.deps.messages.setDelivery(row.message_id, { state: 'failed', attempts, error: reason })
        : null;
    });
  }

  private write(work: () => ReturnType<MessagesRepo['setDelivery']> | null): void {
    const message = inTransaction(this.deps.db, work);
    if (message) this.deps.events.emit('message.updated', { message });
  }
}
