import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { type Database, openDatabase } from '../db/database.ts';
import { INBOX_TABLE, type Migration } from '../db/migrations.ts';

/**
 * The inbox's own SQLite file (beside the database file), used while the processing thread runs: the
 * webhooks' inserts and the processor's batches then write two files, and an acknowledgement never
 * waits for a batch's write lock (nor does a batch end early for it). A batch marks its rows done
 * right after its commit: a crash in between stores the rows again, which the engine recognises as
 * redeliveries (nothing is stored or sent twice), as it does a platform's own redelivery.
 */
export function inboxFileOf(databaseFile: string): string {
  return join(dirname(databaseFile), 'inbox.sqlite');
}

/** The same table as the database's own inbox (migration 8), in a file of its own. */
const inboxFileMigrations: Migration[] = [
  {
    version: 1,
    name: 'inbox: the webhooks raw events, apart from the database the processor writes',
    sql: INBOX_TABLE,
  },
];

/**
 * Opens (or creates) the inbox file, in WAL mode. The server checkpoints it in the checkpointer's
 * worker (db/checkpointer.ts), so its connections turn `wal_autocheckpoint` off.
 */
export function openInboxFile(file: string): Database {
  return openDatabase(file, inboxFileMigrations);
}

/**
 * Moves every inbox row (pending, set aside, and the done ones that recognise redeliveries) from the
 * file `from` into the inbox of `into`, in arrival order: when the processing thread is switched on
 * (the database's rows go to the inbox file) or off (back), nothing that waited is left behind.
 */
export function moveInboxRows(into: BetterSqlite3.Database, from: string): number {
  if (!existsSync(from)) return 0;
  into.prepare('ATTACH DATABASE ? AS moving').run(from);
  try {
    const hasTable = into.prepare("SELECT 1 FROM moving.sqlite_master WHERE type = 'table' AND name = 'inbox'").get();
    if (!hasTable) return 0;
    return into.transaction(() => {
      const moved = into
        .prepare(
          `INSERT INTO main.inbox (source, event_id, payload, state, attempts, error, received_at, processed_at)
           SELECT source, event_id, payload, state, attempts, error, received_at, processed_at FROM moving.inbox WHERE true ORDER BY id
           ON CONFLICT (source, event_id) DO NOTHING`,
        )
        .run().changes;
      into.prepare('DELETE FROM moving.inbox').run();
      return moved;
    })();
  } finally {
    into.prepare('DETACH DATABASE moving').run();
  }
}
