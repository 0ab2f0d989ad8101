import { type Channel, type Message, withNumberedChoices } from '@desk/core';
import type { ConversationsRepo } from './conversations-repo.ts';
import type { MessagesRepo } from './messages-repo.ts';
import type { Db } from '../db/database.ts';
import type { EventBus } from '../events/domain-events.ts';
import { DueJobRunner, type RetryPolicy, retryAt } from '../jobs/due-job-runner.ts';
import { type JobLease, leaseFor } from '../jobs/job-lease.ts';
import type { Clock } from '../shared/clock.ts';
import { type ChannelAdapter, ChannelSendError } from '../channels/channel-adapter.ts';
import type { Outgoing, OutboxRepo, OutboxRow } from './outbox-repo.ts';

export interface OutboxWorkerOptions {
  /** Delay before the first retry; doubles each attempt. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** After this many attempts a retryable error fails the message too. */
  maxAttempts?: number;
  /** How many conversations are sent to at once (each one still gets its messages in order). */
  concurrency?: number;
  /** How long a claimed message stays this instance's before another instance may send it (see job-lease.ts). */
  leaseMs?: number;
}

/** At most this many queued messages are remembered (see OutboxWorker.known and OutboxWorker.outgoing). */
const MAX_REMEMBERED = 10_000;

/** A send the platform accepted, waiting for the turn's shared transaction (see OutboxWorker.recordSent). */
interface Sent {
  row: OutboxRow;
  attempts: number;
  messageId: string;
  channelMessageId: string | undefined;
  done(error: unknown): void;
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
 * Delivers queued outbound messages after their transaction committed, with exponential backoff
 * on retryable errors. Up to `concurrency` conversations are sent to at once; within one
 * conversation messages go out one at a time in the order they were written, and a message waiting
 * for a retry holds back the later ones (a failed one doesn't: see `OutboxRepo.due`). The queue is
 * in SQLite, so a restart resumes it.
 */
export class OutboxWorker extends DueJobRunner<OutboxRow> {
  private readonly adapters = new Map<Channel, ChannelAdapter>();
  private readonly retryPolicy: RetryPolicy;
  /** Sends that returned during this turn of the event loop: recorded together (see recordSent). */
  private sent: Sent[] = [];
  private readonly lease: JobLease;
  /**
   * Messages whose row this outbox knows of as it was queued (see start): taken, or waiting behind an
   * earlier row of its conversation, which hands it over once sent. Their `queued` needs no look at
   * the table. An entry stays until that `queued` (which follows the commit) even when the send began
   * first: the runner wakes for an offered row before the batch that committed it emits its events.
   * Forgetting it at the send's start made nearly every reply's `queued` claim from the table, a
   * look that scans every pending row (most of them offered and leased): ~6 ms each with a backlog.
   */
  private readonly known = new Set<string>();
  /** What the rows this outbox knows of send (by row id), as the engine queued it: no read per send. */
  private readonly outgoing = new Map<number, Outgoing>();

  constructor(
    private readonly deps: Deps,
    options: OutboxWorkerOptions = {},
  ) {
    // A send is abandoned after CHANNEL_REQUEST_TIMEOUT_MS (15 s): two minutes outlast any attempt.
    const lease = leaseFor(options.leaseMs ?? 120_000);
    super({
      name: 'outbox',
      clock: deps.clock,
      due: (now, limit) => deps.outbox.claim(now, limit, lease),
      release: (row) => deps.outbox.release(row.id),
      nextDueAt: () => deps.outbox.nextDueAt(),
      handle: (row) => this.deliver(row),
      keyOf: (row) => row.conversation_id ?? `outbox:${row.id}`,
      concurrency: options.concurrency ?? 8,
    });
    this.lease = lease;
    this.retryPolicy = {
      baseDelayMs: options.baseDelayMs ?? 2_000,
      maxDelayMs: options.maxDelayMs ?? 15 * 60_000,
      maxAttempts: options.maxAttempts ?? 12,
    };
  }

  register(adapter: ChannelAdapter): void {
    this.adapters.set(adapter.channel, adapter);
  }

  /**
   * While it runs, this outbox takes the rows its instance's transactions queue, leased to it in the
   * same statement (SQLite, see OutboxRepo.takeQueuedRows): a reply is handed over after the commit
   * instead of being claimed from the table.
   */
  override start(): void {
    super.start();
    this.deps.outbox.takeQueuedRows({
      lease: this.lease,
      take: (row, outgoing) => {
        this.remember(row, outgoing);
        this.offer(row, this.lease.ms);
      },
      waits: (row, outgoing) => this.remember(row, outgoing),
    });
  }

  /**
   * A row queued by this instance: its `queued` needs no look, its send no read. Entries whose
   * `queued` or send never came (a row another instance sent) must not grow the maps for ever:
   * forgetting them all costs at most one look at the table, or one read, each.
   */
  private remember(row: OutboxRow, outgoing: Outgoing): void {
    if (this.known.size >= MAX_REMEMBERED) this.known.clear();
    if (this.outgoing.size >= MAX_REMEMBERED) this.outgoing.clear();
    this.known.add(row.message_id);
    this.outgoing.set(row.id, outgoing);
  }

  override stop(): void {
    this.deps.outbox.takeQueuedRows(null);
    super.stop();
  }

  /** A message to send was queued: look at the table for it, unless this outbox already knows its row. */
  queued(messageId: string): void {
    if (!this.known.delete(messageId)) this.kick();
  }

  /** What a row sends: as its instance queued it, or read (a row queued elsewhere, or before a restart). */
  private async outgoingOf(row: OutboxRow): Promise<Outgoing | null> {
    const kept = this.outgoing.get(row.id);
    if (kept) {
      this.outgoing.delete(row.id);
      return kept;
    }
    const message = await this.deps.messages.get(row.message_id);
    const conversation = message ? await this.deps.conversations.get(message.conversationId) : null;
    return message && conversation ? { message, conversation } : null;
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const outgoing = await this.outgoingOf(row);
    const attempts = row.attempts + 1;
    const adapter = this.adapters.get(row.channel);
    if (!outgoing) {
      await this.fail(row, attempts, 'The message no longer exists.');
      return;
    }
    const { message, conversation } = outgoing;
    if (!adapter) {
      await this.retry(row, attempts, `The ${row.channel} channel is not configured.`);
      return;
    }
    try {
      const choices = message.quickReplies ?? [];
      const { channelMessageId } =
        choices.length > 0 && adapter.sendChoices
          ? await adapter.sendChoices(conversation, message.text, choices)
          : await adapter.sendText(conversation, choices.length > 0 ? withNumberedChoices(message.text, choices) : message.text);
      await this.recordSent(row, attempts, message.id, channelMessageId);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const retryable = !(err instanceof ChannelSendError) || err.retryable;
      if (retryable) await this.retry(row, attempts, reason);
      else await this.fail(row, attempts, reason);
    }
  }

  /**
   * A send is recorded as sent the moment its platform call returned, in the same turn of the event
   * loop: the sends to many conversations that returned in one turn share one transaction (one commit
   * instead of one each). A crash can still repeat only the sends in flight, now including those of
   * the turn under way.
   */
  private recordSent(row: OutboxRow, attempts: number, messageId: string, channelMessageId: string | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error: unknown) => (error === null ? resolve() : reject(error));
      if (this.sent.push({ row, attempts, messageId, channelMessageId, done }) === 1) setImmediate(() => void this.writeSent());
    });
  }

  private async writeSent(): Promise<void> {
    const sent = this.sent;
    this.sent = [];
    let updated: Message[];
    // Replies queued behind these ones in their conversations, now leased to this outbox (see OutboxRepo.markSent).
    const next: OutboxRow[] = [];
    // A conversation's next reply that was not handed over: the claims take it.
    let left = false;
    // A stopping outbox leaves the next replies to the claims (after a restart, or another instance's).
    const handOver = this.accepting ? this.lease : null;
    try {
      const now = this.deps.clock();
      updated = await this.deps.db.transaction(async () => {
        const messages: Message[] = [];
        for (const { row, attempts, messageId, channelMessageId } of sent) {
          const after = await this.deps.outbox.markSent(row, attempts, now, handOver);
          if (after.next) next.push(after.next);
          if (after.left) left = true;
          messages.push(await this.deps.messages.setDelivery(messageId, { state: 'sent', attempts }, channelMessageId));
        }
        return messages;
      });
    } catch (error) {
      for (const item of sent) item.done(error);
      return;
    }
    // Offered before their predecessors' handlers end: each starts once its conversation is free.
    for (const row of next) this.offer(row, this.lease.ms);
    if (left) this.lookAgain();
    for (const item of sent) item.done(null);
    this.deps.events.emitAll(updated.map((message) => ({ name: 'message.updated' as const, payload: { message } })));
  }

  private async retry(row: OutboxRow, attempts: number, reason: string): Promise<void> {
    const now = this.deps.clock();
    const nextAt = retryAt(this.retryPolicy, attempts, now);
    if (!nextAt) {
      await this.fail(row, attempts, reason);
      return;
    }
    await this.write(async () => {
      await this.deps.outbox.retryLater(row.id, attempts, reason, nextAt, now);
      return this.deps.messages.setDelivery(row.message_id, { state: 'pending', attempts, error: reason });
    });
    // The timer for the retry is set by the run's look at the table.
    this.lookAgain();
  }

  private async fail(row: OutboxRow, attempts: number, reason: string): Promise<void> {
    await this.write(async () => {
      await this.deps.outbox.markFailed(row.id, attempts, reason, this.deps.clock());
      return (await this.deps.messages.get(row.message_id))
        ? this.deps.messages.setDelivery(row.message_id, { state: 'failed', attempts, error: reason })
        : null;
    });
    // A failed row no longer holds its conversation's next one back.
    this.lookAgain();
  }

  private async write(work: () => Promise<Awaited<ReturnType<MessagesRepo['setDelivery']>> | null>): Promise<void> {
    const message = await this.deps.db.transaction(work);
    if (message) this.deps.events.emit('message.updated', { message });
  }
}
