import { applyDeliveryReport } from '../channels/inbound/delivery-reports.ts';
import type { DeliveryReport } from '../channels/inbound/channel-inbound.ts';
import { ConversationEngine, type InboundMessage, type Reading } from '../conversations/engine.ts';
import type { MessagesRepo } from '../conversations/messages-repo.ts';
import type { Db } from '../db/database.ts';
import type { DomainEvent, EventBus } from '../events/domain-events.ts';
import type { Clock } from '../shared/clock.ts';
import type { LeaderLease } from '../jobs/leader-lease.ts';
import type { InboxRepo, InboxRow } from './inbox-repo.ts';
import { LoopShare, type ProcessorShare } from './loop-share.ts';

/** What one inbox row holds, decoded: the messages in arrival order and the delivery reports. */
export interface InboxEvent {
  messages: InboundMessage[];
  statuses: DeliveryReport[];
}

export interface InboxProcessorDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  engine: ConversationEngine;
  messages: MessagesRepo;
  inbox: InboxRepo;
  /** Turns a row's raw payload into messages; throws when it can't (the row is set aside). */
  decode(row: InboxRow): InboxEvent;
  /** Before the transaction, for each message: should the batch's listeners hear of its new contact? */
  beforeStore?(input: InboundMessage): Promise<boolean>;
  /** After the commit: downloads to start, profile lookups to schedule. */
  afterCommit?(outcome: { stored: { input: InboundMessage; contactId: string; flagged: boolean }[]; hasMedia: boolean }): Promise<void>;
  /** Metrics: messages stored or found already stored, and rows set aside. */
  onBatch?(counts: { messages: number; setAside: number; rows: number }): void;
  /** Several instances: only the one holding this lease takes batches (see jobs/leader-lease.ts). */
  lease?: LeaderLease;
}

export interface InboxProcessorOptions {
  /** Most rows per batch (one transaction). */
  batchSize?: number;
  /**
   * How long the processor may hold the event loop at a time: the bot yields to the webhooks after
   * this long, and batches shrink so that their transaction fits in it (acknowledgements stay fast).
   */
  sliceMs?: number;
  /** A row that threw this many times is set aside. */
  maxAttempts?: number;
  /** How long processed rows are kept as the dedupe window for redeliveries. */
  keepDoneMs?: number;
  /** When to pause for the acknowledgements; default: they share this event loop (LoopShare). */
  share?: ProcessorShare;
  /** While events stream in (see steadyWithinMs), how long an arrival waits for others to join its batch (ms). */
  gatherMs?: number;
  /** A run of batches that ended this recently means events are streaming in (ms). */
  steadyWithinMs?: number;
}

/** How soon rows left pending by a batch (a retry, a deferred row) are looked at again without a new arrival. */
const RETRY_MS = 1_000;

/** While the inbox has a backlog, a batch takes the rows its transaction stores in about this long (it holds the write lock meanwhile). */
const BACKLOG_TRANSACTION_MS = 50;

/** How long a batch lets webhook inserts waiting for the write lock go first, at most. */
const MAX_LOCK_WAIT_MS = 50;

/** A row that cannot be stored in this batch (its conversation went back to the bot meanwhile): the next batch takes it. */
class Deferred extends Error {}

/** A row threw in a batch run without savepoints: the batch is taken back and run with one per row. */
class RowThrew extends Error {}

/** What a batch's transaction stored: emitted and counted after the commit. */
interface BatchOutcome {
  /** Rows left for the next batch with their readings still good (it ended early, or an earlier row of their conversation waits). */
  left: Work[];
  events: DomainEvent[];
  /** The inbox rows stored (marked done in the transaction, or right after it when the inbox has a file of its own). */
  done: number[];
  stored: { input: InboundMessage; contactId: string; flagged: boolean }[];
  finished: number;
  messages: number;
  setAside: number;
  hasMedia: boolean;
}

interface Work {
  row: InboxRow;
  event: InboxEvent | null;
  error: string | null;
  readings: Reading[];
  flagged: boolean[];
  conversations: string[];
}

const conversationKey = (input: InboundMessage) => `${input.channel}\u0000${input.externalId}`;

/**
 * Takes inbox rows in batches and stores them through the engine, one transaction per batch (group
 * commit). The bot reads every message before the transaction. Rows are handled in arrival order,
 * so a conversation's messages keep their order. A row that throws (a poison event) rolls back
 * alone: the batch is run again with a savepoint per row (only then, since savepoints cost on every
 * row), and the row is retried by a later batch and then set aside with its error, while the other
 * conversations go on. Events go out after the commit.
 */
export class InboxProcessor {
  private readonly batchSize: number;
  private readonly sliceMs: number;
  /** Recent transaction time per row (ms), to size batches to the slice. */
  private msPerRow = 0.25;
  private readonly maxAttempts: number;
  private readonly keepDoneMs: number;
  private started = false;
  private scheduled = false;
  /** A kick came while the loop ran (see kick). */
  private arrivedDuringRun = false;
  private running: Promise<void> | null = null;
  private lastPrune = 0;
  /** The split of time between the acknowledgements and the batches. */
  private readonly share: ProcessorShare;
  /** How long the last batch held the loop since its last yield (its transaction included). */
  private lastSliceMs = 0;
  /** Newest inbox ids noted once a minute: rows up to an expired mark are pruned. */
  private readonly marks: { at: number; id: number }[] = [];
  /** The batch before: the next one starts after it (rows are taken by one batch at a time). */
  private previous: Promise<unknown> = Promise.resolve();
  /**
   * Rows the last batch read but left for the next one, by id: the next batch takes them first (they
   * are the oldest pending) and does not run the bot on them again. With the inbox in the database's
   * file a batch ends early whenever a webhook waits for the write lock, so at a high arrival rate a
   * good part of every batch was left (and read again).
   */
  private carried = new Map<number, Work>();
  /** The last batch came back full: more rows wait. */
  private backlog = false;
  /** The last batch left rows pending (it ended early, deferred or retries them), or could not look (another instance leads). */
  private leftPending = false;
  /** When the last run of batches ended (performance.now()). */
  private lastRunEnded = -Infinity;
  private readonly gatherMs: number;
  private readonly steadyWithinMs: number;

  constructor(
    private readonly deps: InboxProcessorDeps,
    options: InboxProcessorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 200;
    this.sliceMs = options.sliceMs ?? 5;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.keepDoneMs = options.keepDoneMs ?? 60 * 60_000;
    this.share = options.share ?? new LoopShare();
    this.gatherMs = options.gatherMs ?? 5;
    this.steadyWithinMs = options.steadyWithinMs ?? 20;
  }

  start(): void {
    this.started = true;
    this.kick();
  }

  stop(): void {
    this.started = false;
  }

  /** Something arrived: process soon (coalesced; the webhook's answer goes out first). */
  kick(): void {
    this.share.arrived();
    if (!this.started || this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      if (!this.started) return;
      // A run under way may be past its last look at the inbox: it looks again before it ends.
      if (this.running) this.arrivedDuringRun = true;
      else this.running = this.loop().finally(() => (this.running = null));
    };
    // A run that ended moments ago means events are streaming in: the rows of the next few
    // milliseconds join this one's batch, which shares its commit and its other writes among them
    // (at 1,000 messages a second this took a sixth off the server's CPU per reply). A lone event
    // is taken at once.
    if (!this.running && performance.now() - this.lastRunEnded < this.steadyWithinMs) setTimeout(run, this.gatherMs);
    else setImmediate(run);
  }

  /** Settles when the batch under way (if any) is committed. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Processes until the inbox has nothing pending it can take (tests; the benchmarks' drain). */
  async drain(): Promise<void> {
    await this.idle();
    for (let batches = 0; (await this.runBatch()) > 0; batches += 1) {
      if (batches > 10_000) throw new Error('The inbox never drains.');
    }
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        this.arrivedDuringRun = false;
        if (!this.started) break;
        if ((await this.runBatch()) === 0) {
          // Rows that arrived while this batch found none are taken now, not after RETRY_MS.
          if (this.arrivedDuringRun) continue;
          break;
        }
        // The batch took every row there was and finished them: a row that arrives later kicks (its
        // poke follows its commit), so no batch looks at an empty inbox after each wake-up.
        if (!this.backlog && !this.leftPending && !this.arrivedDuringRun) break;
        await this.yieldLoop(this.lastSliceMs);
      }
    } catch (err) {
      this.leftPending = true;
      console.error('[desk] inbox processor failed', err);
    }
    // Rows left pending (to retry, or waiting for a bot reading) are looked at again shortly.
    try {
      if (this.started && this.leftPending && (await this.deps.inbox.hasPending())) setTimeout(() => this.kick(), RETRY_MS).unref();
    } catch (err) {
      if (this.deps.db.isOpen) console.error('[desk] inbox processor failed', err);
    }
    this.lastRunEnded = performance.now();
  }

  /**
   * Acknowledgements first: the requests that came in during a slice of processing are served before
   * the next slice, and while they keep the loop busy the processor takes only its share (see LoopShare).
   */
  private async yieldLoop(busyMs: number): Promise<void> {
    const pause = this.share.pauseAfter(busyMs);
    await new Promise((resolve) => (pause >= 1 ? setTimeout(resolve, pause) : setImmediate(resolve)));
  }

  /** One batch: answers how many rows it finished (done or set aside). Batches never overlap. */
  runBatch(): Promise<number> {
    const run = this.previous.then(() => this.batch());
    this.previous = run.catch(() => undefined);
    return run;
  }

  private async batch(): Promise<number> {
    // Another instance is processing the inbox: it keeps the conversations in order. This one looks
    // again while rows wait (loop()), and takes over once that instance's lease has run out.
    this.leftPending = true;
    if (this.deps.lease && !(await this.deps.lease.hold())) return 0;
    // Slow rows (a busy machine, hand-offs) shrink the batch to a few: the slice bounds the stall. But
    // while batches come back full the inbox has a backlog: then a batch takes what its transaction
    // stores in BACKLOG_TRANSACTION_MS, since a commit and the batch's other writes are shared by its
    // rows (the backlog drains faster). A transaction also ends as soon as a webhook waits for its lock.
    const rowsIn = (ms: number) => Math.max(4, Math.min(this.batchSize, Math.floor(ms / this.msPerRow)));
    const limit = rowsIn(this.backlog ? BACKLOG_TRANSACTION_MS : this.sliceMs);
    const rows = await this.deps.inbox.takePending(limit);
    this.backlog = rows.length === limit;
    this.leftPending = false;
    if (rows.length === 0) return 0;
    const work: Work[] = [];
    const carried = this.carried;
    this.carried = new Map();
    let sliceStart = performance.now();
    for (const row of rows) {
      const kept = carried.get(row.id);
      work.push(kept && kept.row.attempts === row.attempts ? kept : await this.prepare(row));
      const busy = performance.now() - sliceStart;
      if (busy > this.sliceMs) {
        // The bot reads synchronously under its promises: let waiting requests in.
        await this.yieldLoop(busy);
        sliceStart = performance.now();
      }
    }
    // Webhook inserts waiting for the write lock (the processing thread's other work held it) go first.
    for (let waited = 0; this.webhooksWait() && waited < MAX_LOCK_WAIT_MS; waited += 1) await new Promise((resolve) => setTimeout(resolve, 1));
    const transactionStart = performance.now();

    // Rows go straight into the batch's transaction; only when one throws is the batch taken back
    // and run again with a savepoint per row, so that the row alone is undone (see `store`).
    let outcome: BatchOutcome;
    try {
      outcome = await this.deps.db.transaction(() => this.store(work, false));
    } catch (err) {
      if (!(err instanceof RowThrew)) throw err;
      outcome = await this.deps.db.transaction(() => this.store(work, true));
    }
    const { left, events, done, stored, finished, messages, setAside, hasMedia } = outcome;
    // Right after the commit: a crash in between stores these rows again, which the engine takes as redeliveries.
    if (this.deps.inbox.separate) await this.deps.inbox.markDone(done, this.deps.clock());
    for (const item of left) this.carried.set(item.row.id, item);
    this.leftPending = finished < rows.length;
    this.msPerRow = 0.7 * this.msPerRow + 0.3 * Math.max(0.005, (performance.now() - transactionStart) / Math.max(1, finished));
    this.lastSliceMs = performance.now() - sliceStart;
    this.deps.events.emitAll(events);
    this.deps.onBatch?.({ messages, setAside, rows: rows.length });
    if (stored.length > 0 || hasMedia) {
      this.deps.afterCommit?.({ stored, hasMedia }).catch((err) => console.error('[desk] after an inbox batch', err));
    }
    return finished;
  }

  /**
   * Inside the batch's transaction: stores the rows in order and marks the stored ones done. With
   * `savepoints` off, a row that throws (or has to wait after some of its writes) fails the whole
   * transaction with RowThrew, and the caller runs the batch again with them on: each row in its own
   * savepoint, so a poison row rolls back alone and is retried by a later batch, then set aside.
   */
  private async store(work: Work[], savepoints: boolean): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { left: [], events: [], done: [], stored: [], finished: 0, messages: 0, setAside: 0, hasMedia: false };
    const now = this.deps.clock();
    const done = outcome.done;
    // Conversations with a row left for a later batch: their later rows wait too, to keep the order.
    const held = new Set<string>();
    const hold = (item: Work) => {
      for (const key of item.conversations) held.add(key);
    };
    for (const [index, item] of work.entries()) {
      // Webhook inserts wait for this transaction's lock: commit what is stored, the next batch takes the rest.
      if (outcome.finished > 0 && this.webhooksWait()) {
        outcome.left.push(...work.slice(index).filter((rest) => rest.event));
        break;
      }
      if (item.conversations.some((key) => held.has(key))) {
        hold(item);
        if (item.event) outcome.left.push(item);
        continue;
      }
      const event = item.event;
      const rowEvents: DomainEvent[] = [];
      const rowStored: BatchOutcome['stored'] = [];
      try {
        if (!event) throw new Error(item.error ?? 'The event could not be read.');
        const storeRow = async () => {
          for (const [index, input] of event.messages.entries()) {
            const result = await this.deps.engine.storeRead(input, item.readings[index] ?? null, rowEvents);
            if (ConversationEngine.needsReading(result)) {
              // Nothing of the row written yet: it just waits, with or without a savepoint.
              if (index === 0 || savepoints) throw new Deferred();
              throw new RowThrew();
            }
            if (result.created) rowStored.push({ input, contactId: result.conversation.contactId, flagged: item.flagged[index] ?? false });
          }
          for (const report of event.statuses) {
            const message = await applyDeliveryReport(this.deps.messages, report);
            if (message) rowEvents.push({ name: 'message.updated', payload: { message } });
          }
        };
        if (savepoints) await this.deps.db.transaction(storeRow);
        else await storeRow();
        done.push(item.row.id);
        outcome.events.push(...rowEvents);
        outcome.stored.push(...rowStored);
        outcome.messages += event.messages.length;
        outcome.hasMedia ||= event.messages.some((m) => (m.media?.length ?? 0) > 0);
        outcome.finished += 1;
      } catch (err) {
        if (err instanceof Deferred) {
          hold(item);
          continue;
        }
        // A row that wrote and then threw: only a savepoint takes its writes back.
        if (!savepoints && event) throw new RowThrew();
        if (err instanceof RowThrew) throw new Error('A row asked for its savepoint inside one.');
        const reason = err instanceof Error ? err.message : String(err);
        const failure = await this.deps.inbox.recordFailure(item.row.id, reason, this.maxAttempts, now);
        if (failure === 'set_aside') {
          console.warn(`[desk] inbox event ${item.row.source}/${item.row.eventId} set aside after ${this.maxAttempts} attempts: ${reason}`);
          outcome.setAside += 1;
          outcome.finished += 1;
        } else {
          hold(item);
        }
      }
    }
    // An inbox in its own file is marked after the commit (see batch()).
    if (!this.deps.inbox.separate) await this.deps.inbox.markDone(done, now);
    // Reached only by the attempt that commits (one that throws RowThrew is taken back before it).
    await this.prune(now);
    return outcome;
  }

  /**
   * Webhook inserts wait for the write lock this thread's transactions take: only while the inbox
   * shares the database file (with a file of its own, they never wait for a batch).
   */
  private webhooksWait(): boolean {
    return !this.deps.inbox.separate && this.share.acksWaiting();
  }

  /** Before the transaction: decode the row and let the bot read its messages. */
  private async prepare(row: InboxRow): Promise<Work> {
    const readings: Reading[] = [];
    const flagged: boolean[] = [];
    let event: InboxEvent | null = null;
    try {
      event = this.deps.decode(row);
      for (const input of event.messages) {
        flagged.push((await this.deps.beforeStore?.(input)) ?? false);
        readings.push(await this.deps.engine.read(input));
      }
    } catch (err) {
      // Undecodable, or the bot failed on it: the row counts as one that threw.
      const conversations = event ? [...new Set(event.messages.map(conversationKey))] : [];
      return { row, event: null, error: err instanceof Error ? err.message : String(err), readings, flagged, conversations };
    }
    return { row, event, error: null, readings, flagged, conversations: [...new Set(event.messages.map(conversationKey))] };
  }

  /**
   * Processed rows are kept a while (redeliveries are recognised), then forgotten: once a minute the
   * newest id is noted, and rows up to a mark older than `keepDoneMs` go (a range on the primary key).
   */
  private async prune(now: string): Promise<void> {
    const at = Date.parse(now);
    if (at - this.lastPrune < 60_000) return;
    this.lastPrune = at;
    this.marks.push({ at, id: await this.deps.inbox.lastId() });
    let expired: number | null = null;
    while (this.marks.length > 0 && at - (this.marks[0] as { at: number }).at >= this.keepDoneMs) expired = (this.marks.shift() as { id: number }).id;
    if (expired !== null) await this.deps.inbox.pruneDoneUpTo(expired);
  }
}
