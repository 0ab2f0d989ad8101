import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Migration, migrations as allMigrations } from './migrations.ts';

export type Db = Database.Database;

/** Opens (or creates) the SQLite file in WAL mode with foreign keys on, and migrates it. */
export function openDatabase(file: string, migrations: Migration[] = allMigrations): Db {
  if (file !== ':memory:') createOwnerOnly(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // SQLite gives the WAL and SHM files the database file's mode; older installs may have made them wider.
  for (const companion of [`${file}-wal`, `${file}-shm`]) if (file !== ':memory:' && existsSync(companion)) chmodSync(companion, 0o600);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/**
 * The data directory (0700) and the database file (0600) are readable by the server's user only:
 * they hold password hashes, session hashes and every conversation.
 */
function createOwnerOnly(file: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

export function migrate(db: Db, migrations: Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return pending.length;
}

/** Runs `work` in one transaction: all of it is stored or none. */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}
