import { AsyncLocalStorage } from 'node:async_hooks';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type CompiledQuery, Kysely, PostgresDialect, type QueryResult, sql } from 'kysely';
import pg from 'pg';
import { type Migration, migrations as allMigrations } from './migrations.ts';
import { isPostgresUrl } from '../fanout/select-fanout.ts';
import { type PostgresMigration, postgresMigrations } from './postgres-migrations.ts';
import type { DB } from './schema.ts';
import { SqliteConnectionTurns } from './sqlite-sync-executor.ts';
import { statement } from './statements.ts';

export type DialectName = 'sqlite' | 'postgres';
export type Executor = Kysely<DB>;
/** The name the repositories know the database by. */
export type Db = Database;

interface Scope {
  trx: Executor;
  /** False once the transaction has ended: work it started later runs outside it. */
  open: boolean;
  afterCommit: (() => void)[];
  /** Writes gathered during the transaction and made once, right before its COMMIT (see `beforeCommit`). */
  beforeCommit: Gathered[];
  /** How deep in savepoints the change-log writers' lock was taken (PostgreSQL), or -1. */
  logLockDepth: number;
  depth: number;
}

/** One entry of a write gathered until the commit, and the function that writes a transaction's entries. */
interface Gathered {
  write: (entries: never[]) => Promise<void>;
  entry: unknown;
}

/** The advisory lock that serialises writers on PostgreSQL (any fixed number). */
const WRITERS_LOCK = 0x6465736b; // "desk"
/** How long without a transaction before the scope's storage (and with it the promise hooks) is disabled. */
const QUIET_MS = 1000;
/** Held while an instance migrates PostgreSQL, so two starting together don't both migrate. */
const MIGRATION_LOCK = 0x6d696772; // "migr"

export interface TransactionOptions {
  /**
   * Default true: on PostgreSQL the transaction takes the writers' lock at its start, so write
   * transactions run one at a time across every instance, as SQLite's BEGIN IMMEDIATE does in one
   * process (see sync/CONTEXT.md). False for reads and for job claims, which lock only their rows
   * (FOR UPDATE SKIP LOCKED); one that appends to the change log takes the lock then.
   */
  lock?: boolean;
}


/**
 * The database, whichever it is: a Kysely instance plus the one transaction helper.
 *
 * Repositories never hold a transaction: they ask `q` for the executor of the async call chain
 * they run in. Inside `transaction(work)` that is the transaction (kept in an AsyncLocalStorage),
 * elsewhere the database itself. So a repository method works the same on its own (one statement,
 * autocommit) and inside a caller's transaction, as it did with better-sqlite3's synchronous
 * transactions, without threading a `trx` through every signature. A `transaction` inside another
 * one is a savepoint: its failure undoes only its own writes (and drops its after-commit work).
 *
 * On SQLite the queries skip Kysely's asynchronous driver (see sqlite-sync-executor.ts): the one
 * connection is taken in turns, a transaction holding it from BEGIN IMMEDIATE to COMMIT.
 */
export class Database {
  private readonly scope = new AsyncLocalStorage<Scope | undefined>();
  private readonly background = new Set<Promise<unknown>>();
  private closed = false;
  /** Outermost transactions under way (waiting for their turn included). */
  private transactionsUnderWay = 0;
  /** Disables the scope's storage once no transaction has run for a while (see `settleWhenQuiet`). */
  private quietTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly kysely: Kysely<DB>,
    readonly dialect: DialectName,
    /** The better-sqlite3 handle on SQLite (checkpoints, backups, tests); null on PostgreSQL. */
    readonly sqlite: BetterSqlite3.Database | null,
    /** PostgreSQL: ends the pool (Kysely ends only a pool it has used). */
    private readonly release: () => Promise<void> = async () => {},
    /** SQLite: the connection's turns (transactions run on it directly); null on PostgreSQL. */
    private readonly turns: SqliteConnectionTurns | null = null,
  ) {}

  /** The executor for a query: the transaction this call chain runs in, or the database. */
  get q(): Executor {
    const scope = this.scope.getStore();
    return scope?.open ? scope.trx : this.kysely;
  }

  /**
   * Runs a query compiled once (`prepared`): on SQLite straight on the connection, in the caller's
   * transaction when one is open (else in turn, as `q` does), without Kysely's executor around it.
   * An inbox batch runs a dozen of these per message, and the executor's layers cost about as much
   * as SQLite's own work on a small insert. PostgreSQL: through `q`.
   */
  runCompiled<R>(query: CompiledQuery<R>): Promise<CompiledResult<R>> {
    const turns = this.turns;
    if (!turns) return this.q.executeQuery(query).then(compiledResult);
    if (this.scope.getStore()?.open) {
      try {
        return Promise.resolve(turns.runCompiled(query));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return turns.runOutside(query).then((result) => compiledResult(result as QueryResult<R>));
  }

  /**
   * `runCompiled` at once, when it can answer at once: SQLite inside this call chain's open
   * transaction. Else null (call `runCompiled`). Throws what SQLite throws.
   */
  runCompiledNow<R>(query: CompiledQuery<R>): CompiledResult<R> | null {
    if (!this.turns || !this.scope.getStore()?.open) return null;
    return this.turns.runCompiled(query);
  }

  get inTransaction(): boolean {
    return this.scope.getStore()?.open === true;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Runs `work` in one transaction (SQLite: `BEGIN IMMEDIATE`): all of it is stored or none. Nested,
   * it is a savepoint. Functions given to `afterCommit` meanwhile run once the outermost commit is done.
   */
  async transaction<T>(work: (trx: Executor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const outer = this.scope.getStore();
    if (outer?.open) {
      if (options.lock !== false) await this.serialiseLogWriters();
      return this.savepoint(outer, work);
    }
    const scope: Scope = { trx: this.kysely, open: true, afterCommit: [], beforeCommit: [], logLockDepth: -1, depth: 0 };
    let result: T;
    this.transactionsUnderWay += 1;
    try {
      result = this.turns ? await this.sqliteTransaction(this.turns, scope, work) : await this.kyselyTransaction(scope, work, options);
    } finally {
      scope.open = false;
      this.transactionsUnderWay -= 1;
      if (this.transactionsUnderWay === 0) this.settleWhenQuiet();
    }
    // Outside the transaction's scope: what these start runs on its own. Run under no scope rather
    // than `exit()`, which on Node 20 disables the storage and with it the process's promise hooks,
    // then enables them again: two native toggles per transaction, on every thread's every commit.
    this.scope.run(undefined, () => runAll(scope.afterCommit));
    return result;
  }

  /**
   * On Node 20 an enabled AsyncLocalStorage installs promise hooks that every promise of the thread
   * pays for, transaction or not: about a sixth of the request thread's CPU time per webhook (11 of
   * 69 µs), on a thread that otherwise runs no transaction. So once no transaction has run for
   * QUIET_MS, the storage is disabled (its next `run` enables it again). Only scopes that have ended
   * are dropped with it, and a call chain still holding one treats it as none (`open` is false).
   */
  private settleWhenQuiet(): void {
    if (this.quietTimer) {
      this.quietTimer.refresh();
      return;
    }
    this.quietTimer = setTimeout(() => {
      if (this.transactionsUnderWay === 0) this.scope.disable();
    }, QUIET_MS);
    this.quietTimer.unref();
  }

  /** Runs `effect` once the current transaction has committed (at once when there is none). */
  afterCommit(effect: () => void): void {
    const scope = this.scope.getStore();
    if (scope?.open) scope.afterCommit.push(effect);
    else effect();
  }

  /**
   * Gathers `entry` for `write`, which runs once, inside the transaction right before its outermost
   * COMMIT, with every entry the transaction gathered for it (in order): counters that many writes of
   * one transaction add to (the report roll-ups of an inbox batch) are summed and written once. The
   * entries of a savepoint that rolls back are dropped with it. A failing `write` fails the
   * transaction. Outside a transaction `write` runs at once with this one entry.
   */
  beforeCommit<E>(write: (entries: E[]) => Promise<void>, entry: E): Promise<void> {
    if (!this.inTransaction) return write([entry]);
    this.gather(write, entry);
    return Promise.resolve();
  }

  /**
   * `beforeCommit` for a caller that is always inside a transaction: gathers `entry` at once, with
   * no promise to wait for (an inbox batch gathers several entries per message, and awaiting each
   * cost more than gathering it). Throws outside a transaction.
   */
  gather<E>(write: (entries: E[]) => Promise<void>, entry: E): void {
    const scope = this.scope.getStore();
    if (!scope?.open) throw new Error('A gathered write belongs to a transaction.');
    scope.beforeCommit.push({ write: write as Gathered['write'], entry });
  }

  /**
   * The entries this call chain's transaction has gathered for `write` so far (`beforeCommit`), oldest
   * first: rows written at the commit that a later step of the same transaction reads back (a bot
   * turn's predecessor). Those of a savepoint rolled back are gone. Empty outside a transaction.
   */
  gathered<E>(write: (entries: E[]) => Promise<void>): E[] {
    const scope = this.scope.getStore();
    if (!scope?.open) return [];
    const entries: E[] = [];
    for (const gathered of scope.beforeCommit) if (gathered.write === write) entries.push(gathered.entry as E);
    return entries;
  }

  /**
   * Work started after a commit that still reads or writes (push planning, report figures): `close`
   * waits for it, so it never meets a closed connection.
   */
  track(work: Promise<unknown>): void {
    this.background.add(work);
    const done = () => this.background.delete(work);
    work.then(done, done);
  }

  /**
   * Called before a transaction appends to the change log (and by writes outside one that need the
   * writers' turn). On PostgreSQL it takes the writers' lock until the transaction ends, so rows
   * commit in `seq` order and a reader's cursor never passes a row that commits later with a lower
   * number (sync/CONTEXT.md). SQLite has one writer at a time already.
   */
  async serialiseLogWriters(): Promise<void> {
    if (this.dialect !== 'postgres') return;
    const scope = this.scope.getStore();
    if (!scope?.open) throw new Error('The change log is written inside a transaction.');
    if (scope.logLockDepth >= 0) return;
    await sql`SELECT pg_advisory_xact_lock(${WRITERS_LOCK})`.execute(scope.trx);
    scope.logLockDepth = scope.depth;
  }

  /** Waits for the work tracked with `track` and for a transaction under way, then closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.quietTimer) clearTimeout(this.quietTimer);
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
    if (this.turns) {
      await this.turns.acquire();
      this.turns.raw.close();
      return;
    }
    await this.kysely.destroy();
    await this.release();
  }

  /** SQLite: holds the connection from BEGIN IMMEDIATE to COMMIT; the queries run on it at once. */
  private async sqliteTransaction<T>(turns: SqliteConnectionTurns, scope: Scope, work: (trx: Executor) => Promise<T>): Promise<T> {
    const waiting = turns.acquire();
    if (waiting) await waiting;
    try {
      statement(turns.raw, 'BEGIN IMMEDIATE').run();
      scope.trx = turns.transactionExecutor(() => scope.open);
      let result: T;
      try {
        result = await this.scope.run(scope, async () => {
          const value = await work(scope.trx);
          await writeGathered(scope);
          return value;
        });
        scope.open = false;
        statement(turns.raw, 'COMMIT').run();
      } catch (err) {
        scope.open = false;
        // SQLite may have ended the transaction itself (an I/O error, a full disk).
        if (turns.raw.inTransaction) statement(turns.raw, 'ROLLBACK').run();
        throw err;
      }
      return result;
    } finally {
      turns.release();
    }
  }

  /** PostgreSQL: Kysely's transaction on a pooled connection, with the writers' lock first. */
  private async kyselyTransaction<T>(scope: Scope, work: (trx: Executor) => Promise<T>, options: TransactionOptions): Promise<T> {
    return this.kysely.transaction().execute(async (trx) => {
      scope.trx = trx;
      if (this.dialect === 'postgres' && options.lock !== false) {
        await sql`SELECT pg_advisory_xact_lock(${WRITERS_LOCK})`.execute(trx);
        scope.logLockDepth = 0;
      }
      return this.scope.run(scope, async () => {
        const value = await work(trx);
        await writeGathered(scope);
        return value;
      });
    });
  }

  /** A transaction-control statement (savepoints) in the scope's transaction. */
  private async command(scope: Scope, text: string): Promise<void> {
    if (this.turns) statement(this.turns.raw, text).run();
    else await sql.raw(text).execute(scope.trx);
  }

  private async savepoint<T>(scope: Scope, work: (trx: Executor) => Promise<T>): Promise<T> {
    // Named by depth: siblings reuse a name (each is released before the next), so the statement
    // cache keeps a handful of texts instead of one per savepoint ever taken.
    const name = `desk_sp_${scope.depth + 1}`;
    const mark = scope.afterCommit.length;
    const gatheredMark = scope.beforeCommit.length;
    await this.command(scope, `SAVEPOINT ${name}`);
    scope.depth += 1;
    try {
      let result: T;
      try {
        result = await work(scope.trx);
      } catch (err) {
        scope.afterCommit.length = mark;
        scope.beforeCommit.length = gatheredMark;
        // Rolling back to the savepoint releases the locks taken after it.
        if (scope.logLockDepth >= scope.depth) scope.logLockDepth = -1;
        try {
          await this.command(scope, `ROLLBACK TO SAVEPOINT ${name}`);
          await this.command(scope, `RELEASE SAVEPOINT ${name}`);
        } catch {
          // The database already ended the whole transaction (SQLite does on I/O errors): nothing of
          // it may be stored piecemeal, so the outer transaction fails too.
          throw new TransactionAborted(err);
        }
        throw err;
      }
      try {
        await this.command(scope, `RELEASE SAVEPOINT ${name}`);
      } catch (err) {
        throw new TransactionAborted(err);
      }
      // A lock taken inside a released savepoint belongs to the enclosing level now.
      if (scope.logLockDepth === scope.depth) scope.logLockDepth = scope.depth - 1;
      return result;
    } finally {
      scope.depth -= 1;
    }
  }
}

/** What a compiled query answered: its rows, the rows it changed, and the new row's id (SQLite's rowid; null on PostgreSQL). */
export interface CompiledResult<R> {
  rows: R[];
  changes: number;
  insertId: number | null;
}

function compiledResult<R>(result: QueryResult<R>): CompiledResult<R> {
  return { rows: result.rows, changes: Number(result.numAffectedRows ?? 0), insertId: result.insertId === undefined ? null : Number(result.insertId) };
}

/** The database ended the transaction a savepoint was in: the whole transaction has failed. */
export class TransactionAborted extends Error {
  constructor(readonly reason: unknown) {
    super(`The transaction was aborted: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'TransactionAborted';
  }
}

/**
 * The gathered writes, in the order of their first entries, each once with its entries. What a write
 * gathers (report counters of the rows it wrote) joins the entries of a write still to come, or
 * makes the write run again after.
 */
async function writeGathered(scope: Scope): Promise<void> {
  while (scope.beforeCommit.length > 0) {
    const write = (scope.beforeCommit[0] as Gathered).write;
    const entries: unknown[] = [];
    const rest: Gathered[] = [];
    for (const gathered of scope.beforeCommit) {
      if (gathered.write === write) entries.push(gathered.entry);
      else rest.push(gathered);
    }
    scope.beforeCommit = rest;
    await write(entries as never[]);
  }
}

function runAll(effects: (() => void)[]): void {
  for (const effect of effects) {
    try {
      effect();
    } catch (err) {
      console.error('[desk] an after-commit effect failed', err);
    }
  }
}

/** Opens (or creates) the SQLite file in WAL mode with foreign keys on, and migrates it. */
export function openDatabase(file: string, migrations: Migration[] = allMigrations): Database {
  const raw = openSqlite(file, migrations);
  const turns = new SqliteConnectionTurns(raw);
  return new Database(turns.outside, 'sqlite', raw, async () => {}, turns);
}

/** The database the configuration names: PostgreSQL when `databaseUrl` is one, else the SQLite file. */
export async function openConfiguredDatabase(config: { databaseUrl: string | null; databaseFile: string }): Promise<Database> {
  const url = config.databaseUrl ?? undefined;
  return isPostgresUrl(url) ? openPostgres(url) : openDatabase(config.databaseFile);
}

/** A pool on PostgreSQL (15 or later), migrated. BIGINT columns and counts read back as numbers. */
export async function openPostgres(url: string, options: { max?: number; applicationName?: string } = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url.trim(),
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'desk',
    // int8 (ids, counts, sums of sizes) as numbers: every value Desk stores is far below 2^53.
    types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format ?? 'text')) },
  } as pg.PoolConfig);
  // A connection the server drops (restart, failover) must not crash the process: the pool replaces it.
  pool.on('error', (err) => console.error('[desk] an idle PostgreSQL connection failed', err.message));
  // The pool only listens to its idle clients: a checked-out one (inside a transaction, between two
  // queries) whose connection is cut emits 'error' to no one, an uncaught exception. Its next query
  // fails instead, and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', (err) => console.error('[desk] a PostgreSQL connection in use failed', err.message)));
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return new Database(new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), 'postgres', null, async () => {
    if (!pool.ended) await pool.end();
  });
}

/**
 * PostgreSQL's migrations, applied in order under an advisory lock (instances starting together
 * migrate once); the versions applied are kept in `schema_migrations`.
 */
export async function migratePostgres(pool: pg.Pool, migrations: PostgresMigration[] = postgresMigrations): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
    const pending = migrations.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
    for (const migration of pending) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    return pending.length;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** The better-sqlite3 connection the query layer runs on, opened and migrated. */
export function openSqlite(file: string, migrations: Migration[] = allMigrations): BetterSqlite3.Database {
  if (file !== ':memory:') createOwnerOnly(file);
  const db = new BetterSqlite3(file);
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
  // A shared sticky directory such as /tmp is not ours to lock down: closing it to everyone else
  // breaks every other program on the machine. The file itself is still the owner's only.
  if (!isSharedStickyDirectory(dir)) chmodSync(dir, 0o700);
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

function isSharedStickyDirectory(dir: string): boolean {
  return (statSync(dir).mode & 0o1000) !== 0;
}

/** SQLite's migrations: the applied version is kept in `PRAGMA user_version`, so old files upgrade in place. */
export function migrate(db: BetterSqlite3.Database, migrations: Migration[]): number {
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
