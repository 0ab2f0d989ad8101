import BetterSqlite3 from 'better-sqlite3';
import type { AcksWaiting } from './acks-waiting.ts';
import { INBOX_INSERT_SQL, type InboxSource } from './inbox-repo.ts';

/** Past this long without the write lock, the inserts fail (their webhooks answer 500 and the platforms deliver again). */
const GIVE_UP_MS = 10_000;
/** A batch committed this recently means events are streaming in: the next batch gathers for a millisecond. */
const STEADY_WITHIN_MS = 5;

const isBusy = (error: unknown) => error instanceof Error && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_BUSY_SNAPSHOT');

interface Queued {
  values: [InboxSource, string, string, string];
  resolve(added: boolean): void;
  reject(error: unknown): void;
}

/**
 * The webhooks' inserts on SQLite while the processing thread writes the same file, on a connection
 * of their own:
 * - Group commit: the inserts that arrive in one turn of the event loop are written in one
 *   transaction, so concurrent webhooks take the write lock (and change the file under the
 *   processing thread's page cache) once, not once each. While events stream in, those of the
 *   next millisecond join too.
 * - It never waits for the lock inside SQLite: SQLite's busy handler sleeps, and better-sqlite3 runs
 *   on the event loop, so an insert that met the processing thread's transaction would stall every
 *   request. A busy transaction is tried again on a later turn (the other requests are served
 *   meanwhile), and `waiting` tells the processing thread to give the lock up after its row under way.
 */
export class InboxWriter {
  private readonly db: BetterSqlite3.Database;
  private readonly insertStatement: BetterSqlite3.Statement;
  private readonly beginStatement: BetterSqlite3.Statement;
  private readonly commitStatement: BetterSqlite3.Statement;
  private queue: Queued[] = [];
  private scheduled = false;
  /** When the queue first met a busy lock (counted in `waiting` until it is written), or null. */
  private busySince: number | null = null;
  /** Time the queue spent waiting for another connection's write lock, since the start (ms). */
  private waitedMs = 0;
  /** When the last batch was committed (performance.now()). */
  private lastCommitAt = -Infinity;

  constructor(
    file: string,
    private readonly waiting: AcksWaiting,
    /** A batch committed this recently means events are streaming in (ms). */
    private readonly steadyWithinMs = STEADY_WITHIN_MS,
  ) {
    this.db = new BetterSqlite3(file);
    this.db.pragma('busy_timeout = 0');
    this.db.pragma('synchronous = NORMAL');
    // The checkpointer's thread checkpoints (db/checkpointer.ts): a webhook's commit never does.
    this.db.pragma('wal_autocheckpoint = 0');
    this.insertStatement = this.db.prepare(INBOX_INSERT_SQL);
    this.beginStatement = this.db.prepare('BEGIN IMMEDIATE');
    this.commitStatement = this.db.prepare('COMMIT');
  }

  /** Answers false when the event was already in the inbox (a redelivery). */
  insert(source: InboxSource, eventId: string, payload: string, receivedAt: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ values: [source, eventId, payload, receivedAt], resolve, reject });
      this.schedule();
    });
  }

  /** How long inserts have waited for the write lock in all (the processing thread's transactions hold it): /metrics. */
  get lockWaitSeconds(): number {
    return (this.waitedMs + (this.busySince === null ? 0 : Date.now() - this.busySince)) / 1000;
  }

  close(): void {
    this.db.close();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.write();
    };
    // A busy lock is looked at again in a millisecond. Under a steady stream (the last commit was
    // moments ago) the inserts of the next millisecond join this batch: a commit costs more than
    // the inserts it holds, and waiting a millisecond is far inside any platform's patience. A
    // lone event is written after this turn's other requests.
    if (this.busySince !== null || performance.now() - this.lastCommitAt < this.steadyWithinMs) setTimeout(run, 1);
    else setImmediate(run);
  }

  private write(): void {
    if (this.queue.length === 0) return;
    try {
      this.beginStatement.run();
    } catch (error) {
      if (isBusy(error) && (this.busySince === null || Date.now() - this.busySince < GIVE_UP_MS)) {
        if (this.busySince === null) {
          this.busySince = Date.now();
          this.waiting.enter();
        }
        this.schedule();
        return;
      }
      this.settle(this.queue.splice(0), error);
      return;
    }
    const batch = this.queue.splice(0);
    try {
      const added = batch.map((item) => this.insertStatement.run(...item.values).changes > 0);
      this.commitStatement.run();
      this.lastCommitAt = performance.now();
      this.settle(batch, null, added);
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.settle(batch, error);
    }
  }

  private settle(batch: Queued[], error: unknown, added: boolean[] = []): void {
    if (this.busySince !== null) {
      this.waitedMs += Date.now() - this.busySince;
      this.busySince = null;
      this.waiting.leave();
    }
    for (const [index, item] of batch.entries()) {
      if (error === null) item.resolve(added[index] ?? false);
      else item.reject(error);
    }
    if (this.queue.length > 0) this.schedule();
  }
}
