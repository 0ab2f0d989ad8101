import type { Clock } from '../shared/clock.ts';

export interface DueJobRunnerOptions<Row> {
  /** For logs: "[desk] <name> failed". */
  name: string;
  clock: Clock;
  /**
   * Claims the rows to handle now, in the order they should start, at most `limit` (the runner asks
   * for no more than it could start plus those it will skip). A claimed row is leased to this
   * instance (see jobs/job-lease.ts): no other instance gets it until its lease ends, and `handle`
   * ends the lease when it records the outcome.
   */
  due(now: string, limit: number): Promise<Row[]>;
  /** When the earliest row that `due` will list becomes due (ISO), or null when nothing is queued. */
  nextDueAt(): Promise<string | null>;
  /** Handles one row and records the outcome (done, failed, or retry later) itself, which ends its lease. */
  handle(row: Row): Promise<void>;
  /** A handler threw before recording an outcome: give the row's lease back so it is tried again. */
  release?(row: Row): Promise<void>;
  /**
   * Rows with the same key never run at the same time (a row being handled is not started again
   * when `due` lists it once more). The outbox keys by conversation; a per-row queue by its id.
   */
  keyOf(row: Row): string | number;
  /** How many rows (with different keys) are handled at once. Default 1. */
  concurrency?: number;
}

/** Never wait longer than setTimeout allows (~24.8 days). */
const MAX_TIMER_MS = 2_147_000_000;
/** When `nextDueAt` claims something is due but nothing could start, look again after this long instead of spinning. */
const STALLED_RETRY_MS = 1_000;

/**
 * Runs the rows of a durable queue (a database table) when they are due: up to `concurrency` at a
 * time, never two with the same key at once, and keeps one unref'd timer for the earliest row due
 * later. `kick()` after queueing something; a kick during a run makes the run look again.
 */
export class DueJobRunner<Row> {
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private started = false;
  /** After `stop()`: a run in progress finishes the rows it started, and starts no more. */
  private halted = false;
  /** Wakes a run waiting for a free slot (a row finished, or something new was queued). */
  private wake: (() => void) | null = null;
  /** A kick arrived during a run: look at the queue again right after it. */
  private kicked = false;
  /** A row finished (or a kick came) while the run was not waiting: it must not wait for that. */
  private missedWake = false;
  /**
   * Rows this instance leased when they were queued (see `offer`): started without a claim, before
   * the claimed ones. `until`: when the lease runs out (ms); a row that waited that long goes back.
   */
  private offered: { row: Row; until: number }[] = [];
  /** The table may hold rows to claim: a kick, a start, a timer, a claimed row done, or `lookAgain`. */
  private lookNeeded = true;

  constructor(private readonly options: DueJobRunnerOptions<Row>) {
    this.concurrency = Math.max(1, options.concurrency ?? 1);
  }

  /** Handles what is due now and keeps a timer for what is due later. */
  start(): void {
    this.started = true;
    this.halted = false;
    this.kick();
  }

  /** Starts no more rows; the ones being handled finish (`idle()` settles then). */
  stop(): void {
    this.started = false;
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Rows offered since the last run ended, before their run began: a run gives them back.
    if (this.offered.length > 0 && !this.running) void this.run(false);
  }

  /** Something was queued: run soon (coalesced). */
  kick(): void {
    if (!this.started) return;
    this.lookNeeded = true;
    if (this.running) {
      this.kicked = true;
      this.notify();
      return;
    }
    setImmediate(() => {
      if (this.started) this.runInBackground();
    });
  }

  /**
   * A row already leased to this instance for `leaseMs` when its transaction queued it (and first in
   * line for its key): handled without claiming it (no look at the table, no lease statement). A
   * stopped runner gives it back at once.
   */
  offer(row: Row, leaseMs: number): void {
    if (!this.accepting) {
      void this.releaseRow(row);
      return;
    }
    this.offered.push({ row, until: Date.now() + leaseMs });
    if (this.running) {
      this.notify();
      return;
    }
    setImmediate(() => {
      if (this.started) this.runInBackground(false);
    });
  }

  /**
   * Whether an offered row is handled: the runner is started, or a run (`runDue`) is under way and
   * not stopped (a handler's outcome may hand it the next row of its key).
   */
  protected get accepting(): boolean {
    return !this.halted && (this.started || this.running !== null);
  }

  /**
   * A handler's outcome may have made other rows due now (a failed row no longer holds its key's next
   * one back): the run looks at the table once that handler is done (its key is free then).
   */
  protected lookAgain(): void {
    this.lookNeeded = true;
    if (!this.running) this.kick();
  }

  /** Settles when the current run (if any) is over. */
  idle(): Promise<unknown> {
    return this.running ?? Promise.resolve();
  }

  /** Handles every due row, until none is left; answers how many were handled. */
  runDue(): Promise<number> {
    return this.run(true);
  }

  /** `look`: claim from the table too (a run for offered rows alone doesn't). */
  private run(look: boolean): Promise<number> {
    if (look) this.lookNeeded = true;
    if (!this.running) {
      const run = { handled: 0, broken: false, looked: false };
      this.running = this.drain(run).finally(() => {
        this.running = null;
        // A run that only handled offered rows, all recorded, changed nothing a timer waits for.
        if (!run.looked && !run.broken) return;
        this.schedule(run.broken || run.handled === 0).catch((err) => console.error(`[desk] ${this.options.name} failed`, err));
      });
    }
    return this.running;
  }

  private runInBackground(look = true): void {
    this.run(look).catch((err) => console.error(`[desk] ${this.options.name} failed`, err));
  }

  /** Gives a leased row back to the table (if the queue can); a failure is logged, the lease then runs out by itself. */
  private async releaseRow(row: Row): Promise<void> {
    await this.options.release?.(row).catch((err: unknown) => console.error(`[desk] ${this.options.name}: releasing a job failed`, err));
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    // Nobody waiting (the run is claiming rows): it looks again before it waits.
    if (wake) wake();
    else this.missedWake = true;
  }

  private async drain(run: { handled: number; broken: boolean; looked: boolean }): Promise<number> {
    const { due, keyOf, handle, clock, name } = this.options;
    const active = new Set<string | number>();
    // A key whose handler threw is not retried in this run (its row is likely still due).
    const broken = new Set<string | number>();
    const begin = (row: Row, key: string | number, claimed: boolean) => {
      active.add(key);
      new Promise<void>((resolve) => resolve(handle(row)))
        .catch(async (err) => {
          broken.add(key);
          run.broken = true;
          console.error(`[desk] ${name} failed`, err);
          await this.releaseRow(row);
        })
        .finally(() => {
          active.delete(key);
          run.handled += 1;
          // A claimed row done: its key's next row (or any the claim left) may be due now.
          if (claimed) this.lookNeeded = true;
          this.notify();
        });
    };
    for (;;) {
      this.kicked = false;
      this.missedWake = false;
      if (this.halted) {
        // Stopped: offered rows not started go back to the table (the run, so idle(), waits for that).
        for (const { row } of this.offered.splice(0)) await this.releaseRow(row);
      } else {
        this.startOffered(active, broken, begin);
        if (active.size < this.concurrency && this.lookNeeded) {
          this.lookNeeded = false;
          run.looked = true;
          // Claims as many rows as there are free slots (a claimed row is leased to this instance).
          const claimed = await due(clock(), this.concurrency - active.size + broken.size);
          const skipped: Row[] = [];
          for (const row of claimed) {
            const key = keyOf(row);
            if (active.size >= this.concurrency || active.has(key) || broken.has(key)) {
              skipped.push(row);
              continue;
            }
            begin(row, key, true);
          }
          // Claimed but not started (a key already running or broken this run): others may take them.
          for (const row of skipped) await this.releaseRow(row);
          // Skipped rows are due: look again once a slot frees.
          if (skipped.length > 0) this.lookNeeded = true;
        }
      }
      // A row finished (or a kick or an offer came) while claiming: what it freed may be claimable now.
      if (this.missedWake) continue;
      // Nothing running and nothing could start: the queue is drained (for now), or the runner stopped.
      if (active.size === 0) {
        if (this.offered.length === 0 || this.halted) return run.handled;
        // Offered rows of keys broken in this run go back to the table (a later run claims them).
        for (const { row } of this.offered.splice(0)) await this.releaseRow(row);
        run.looked = true;
        return run.handled;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Starts the offered rows whose key is free, as slots allow; a row whose lease ran out meanwhile is left to the claims. */
  private startOffered(active: Set<string | number>, broken: Set<string | number>, begin: (row: Row, key: string | number, claimed: boolean) => void): void {
    if (this.offered.length === 0) return;
    const now = Date.now();
    const waiting: { row: Row; until: number }[] = [];
    for (const item of this.offered) {
      if (item.until <= now) {
        this.lookNeeded = true;
        continue;
      }
      const key = this.options.keyOf(item.row);
      if (active.size >= this.concurrency || active.has(key) || broken.has(key)) waiting.push(item);
      else begin(item.row, key, false);
    }
    this.offered = waiting;
  }

  /** `stalled`: the run ended without progress, so a due row may be one that cannot start yet. */
  private async schedule(stalled: boolean): Promise<void> {
    if (!this.started) return;
    const next = await this.options.nextDueAt();
    if (!this.started || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!next) return;
    // Back off only when a row is already due yet could not start; a row due later is simply awaited.
    const overdue = Date.parse(next) <= Date.now();
    const floor = stalled && overdue && !this.kicked ? STALLED_RETRY_MS : 0;
    this.kicked = false;
    const wait = Math.max(floor, Math.min(Date.parse(next) - Date.now(), MAX_TIMER_MS));
    this.timer = setTimeout(() => this.runInBackground(), wait);
    this.timer.unref();
  }
}

export interface RetryPolicy {
  /** Delay before the first retry; doubles each attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** After this many attempts a retryable error fails the row too. */
  maxAttempts: number;
}

/** When to try again after `attempts` failed attempts (ISO), or null when it is time to give up. */
export function retryAt(policy: RetryPolicy, attempts: number, now: string): string | null {
  if (attempts >= policy.maxAttempts) return null;
  const delay = Math.min(policy.baseDelayMs * 2 ** (attempts - 1), policy.maxDelayMs);
  return new Date(Date.parse(now) + delay).toISOString();
}
