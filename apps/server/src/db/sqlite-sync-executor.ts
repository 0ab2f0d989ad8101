import type BetterSqlite3 from 'better-sqlite3';
import {
  type CompiledQuery,
  type ConnectionProvider,
  type DatabaseConnection,
  DefaultQueryExecutor,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteDialect,
} from 'kysely';
import type { DB } from './schema.ts';
import { PlanKeepingSqliteQueryCompiler } from './sqlite-query-compiler.ts';
import { statement } from './statements.ts';

type Run = (query: CompiledQuery) => Promise<QueryResult<unknown>>;

// Shared by every executor (each transaction has one): a compile runs synchronously from start to
// end, so one compiler serves them all, and building one per transaction cost more than a statement.
// It writes LIMIT and OFFSET so that binding them keeps the statement compiled (sqlite-query-compiler.ts).
const compiler = new PlanKeepingSqliteQueryCompiler();
const adapter = new SqliteAdapter();
const dialect = new SqliteDialect({ database: { prepare: () => unusable(), close: () => {} } });

/**
 * better-sqlite3 is synchronous, but Kysely's driver path wraps every query in about ten async steps
 * (connection provider, driver mutex, connection, result plugins): with AsyncLocalStorage on, those
 * promises cost more than SQLite's own work, and a sync push runs thousands of queries. This executor
 * runs the compiled statement at once (through the statement cache) and answers with one resolved
 * promise. Query building and compiling stay Kysely's; a query with plugins or an abort signal takes
 * Kysely's ordinary path, through the same connection turn.
 */
class SqliteSyncExecutor extends DefaultQueryExecutor {
  constructor(
    connectionProvider: ConnectionProvider,
    private readonly run: Run,
  ) {
    super(compiler, adapter, connectionProvider, []);
  }

  override executeQuery<R>(compiledQuery: CompiledQuery, options?: Parameters<DefaultQueryExecutor['executeQuery']>[1]): Promise<QueryResult<R>> {
    if (options?.signal || this.plugins.length > 0) return super.executeQuery(compiledQuery, options);
    return this.run(compiledQuery) as Promise<QueryResult<R>>;
  }
}

/**
 * The one better-sqlite3 connection, taken in turns: a transaction holds it from BEGIN to COMMIT,
 * and a query from outside that transaction waits for its end (as Kysely's driver mutex did). A
 * query while nobody holds it runs at once.
 */
export class SqliteConnectionTurns {
  private held = false;
  private readonly waiting: (() => void)[] = [];
  /** Plain queries outside any transaction. */
  readonly outside: Kysely<DB>;

  constructor(readonly raw: BetterSqlite3.Database) {
    this.outside = this.kysely((query) => this.runOutside(query));
  }

  get busy(): boolean {
    return this.held;
  }

  /** Takes the connection; resolves at once (null) when it was free. Give it back with `release`. */
  acquire(): Promise<void> | null {
    if (!this.held) {
      this.held = true;
      return null;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }

  /** Runs a statement now: the caller holds the connection (or nobody does). */
  runNow(query: CompiledQuery): QueryResult<unknown> {
    const stmt = statement(this.raw, query.sql);
    const parameters = query.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(parameters) as unknown[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { insertId: BigInt(lastInsertRowid), numAffectedRows: BigInt(changes), rows: [] };
  }

  /** `runNow` for `Database.runCompiled`: the counts as plain numbers (no BigInt per statement). */
  runCompiled<R>(query: CompiledQuery<R>): { rows: R[]; changes: number; insertId: number | null } {
    const stmt = statement(this.raw, query.sql);
    const parameters = query.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(parameters) as R[], changes: 0, insertId: null };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { rows: [], changes, insertId: Number(lastInsertRowid) };
  }

  /** A query outside any transaction: at once, or after the transaction holding the connection. */
  runOutside(query: CompiledQuery): Promise<QueryResult<unknown>> {
    const turn = this.acquire();
    if (!turn) {
      try {
        return Promise.resolve(this.runNow(query));
      } catch (err) {
        return Promise.reject(err);
      } finally {
        this.release();
      }
    }
    return turn.then(() => {
      try {
        return this.runNow(query);
      } finally {
        this.release();
      }
    });
  }

  /** A transaction's executor: its queries run at once while it is open, and as outside queries after. */
  transactionExecutor(isOpen: () => boolean): Kysely<DB> {
    return this.kysely((query) => {
      if (!isOpen()) return this.runOutside(query);
      try {
        return Promise.resolve(this.runNow(query));
      } catch (err) {
        return Promise.reject(err);
      }
    });
  }

  private kysely(run: Run): Kysely<DB> {
    const connection: DatabaseConnection = {
      executeQuery: async <R>(query: CompiledQuery) => (await run(query)) as QueryResult<R>,
      streamQuery: () => {
        throw new Error('Streaming queries are not used on SQLite.');
      },
    };
    const provider: ConnectionProvider = { provideConnection: async (consumer) => consumer(connection) };
    return new Kysely<DB>({ config: { dialect }, dialect, driver: transactionsThroughDatabase, executor: new SqliteSyncExecutor(provider, run) });
  }
}

function unusable(): never {
  throw new Error('Transactions go through Database.transaction, not Kysely’s own.');
}

/** Kysely's own connection and transaction API is not used on SQLite: `Database.transaction` is. */
const transactionsThroughDatabase: Driver = {
  init: async () => {},
  acquireConnection: async () => unusable(),
  beginTransaction: async () => unusable(),
  commitTransaction: async () => unusable(),
  rollbackTransaction: async () => unusable(),
  releaseConnection: async () => {},
  destroy: async () => {},
};
