import type Database from 'better-sqlite3';

/** How many distinct SQL texts one database keeps compiled (only dynamic list filters get near it). */
const MAX_PER_DB = 500;

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The compiled statement for `sql` on `db`, prepared on first use and reused afterwards
 * (SQLite compiles a statement in microseconds, but a push of 100 mutations runs over a
 * thousand of them). Every repository goes through here instead of calling `db.prepare` in a
 * method. Don't change a cached statement's mode (`pluck`, `raw`, `expand`, `safeIntegers`):
 * other callers share it; use `db.prepare` for those. Statements are executed synchronously, so
 * sharing one is safe except while an `iterate()` over it is open.
 */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    // Dynamic SQL (filters with IN lists) could grow without bound: drop the oldest entry.
    if (cache.size >= MAX_PER_DB) cache.delete(cache.keys().next().value as string);
    cache.set(sql, stmt);
  }
  return stmt;
}
