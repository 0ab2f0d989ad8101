import BetterSqlite3 from 'better-sqlite3';
import type { AcksWaiting } from './acks-waiting.ts';
import type { InboxSource } from './inbox-repo.ts';

const INSERT_SQL = 'INSERT INTO inbox (source, event_id, payload, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING';
/** Past this long without the write lock, the insert fails (the webhook answers 500 and the platform delivers again). */
const GIVE_UP_MS = 10_000;

const isBusy = (error: unknown) => error instanceof Error && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_BUSY_SNAPSHOT');

/**
 * The webhooks' inserts on SQLite while the processing thread writes the same file: a connection of
 * their own that never waits for the write lock inside SQLite. SQLite's busy handler sleeps (and
 * better-sqlite3 runs on the event loop), so an insert that met the processing thread's transaction
 * would stall every request for that long; here a busy insert is tried again on a later turn of the
 * loop, and the other requests are served meanwhile; while it waits, `waiting` tells the processing
 * thread to give the lock up after the row it is storing.
 */
export class InboxWriter {
  private readonly db: BetterSqlite3.Database;
  private readonly insertStatement: BetterSqlite3.Statement;

  constructor(
    file: string,
    private readonly waiting: AcksWaiting,
  ) {
    this.db = new BetterSqlite3(file);
    this.db.pragma('busy_timeout = 0');
    this.db.pragma('synchronous = NORMAL');
    // The checkpointer's thread checkpoints (db/checkpointer.ts): a webhook's commit never does.
    this.db.pragma('wal_autocheckpoint = 0');
    this.insertStatement = this.db.prepare(INSERT_SQL);
  }

  /** Answers false when the event was already in the inbox (a redelivery). */
  async insert(source: InboxSource, eventId: string, payload: string, receivedAt: string): Promise<boolean> {
    try {
      return this.insertStatement.run(source, eventId, payload, receivedAt).changes > 0;
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
    const started = Date.now();
    this.waiting.enter();
    try {
      for (let attempt = 0; ; attempt += 1) {
        // The processing thread ends its transaction after the row under way: look again after the requests waiting now.
        await new Promise((resolve) => (attempt < 2 ? setImmediate(resolve) : setTimeout(resolve, 1)));
        try {
          return this.insertStatement.run(source, eventId, payload, receivedAt).changes > 0;
        } catch (error) {
          if (!isBusy(error) || Date.now() - started > GIVE_UP_MS) throw error;
        }
      }
    } finally {
      this.waiting.leave();
    }
  }

  close(): void {
    this.db.close();
  }
}
