import type BetterSqlite3 from 'better-sqlite3';

/**
 * Counts every statement SQLite runs in this process while `work` runs, and adds each one's SQL to
 * `sources` (SQLite only: the tests using it are not in the PostgreSQL project).
 */
export async function statementsDuring(sqlite: BetterSqlite3.Database, work: () => Promise<void>, sources: string[] = []): Promise<number> {
  const prototype = Object.getPrototypeOf(sqlite.prepare('SELECT 1')) as Record<'run' | 'get' | 'all', (...args: unknown[]) => unknown>;
  const originals = { run: prototype.run, get: prototype.get, all: prototype.all };
  let count = 0;
  for (const method of ['run', 'get', 'all'] as const) {
    const original = originals[method];
    prototype[method] = function (this: { source: string }, ...args: unknown[]) {
      count += 1;
      sources.push(this.source);
      return original.apply(this, args);
    };
  }
  try {
    await work();
  } finally {
    Object.assign(prototype, originals);
  }
  return count;
}
