import type { Compilable, CompiledQuery } from 'kysely';
import type { CompiledResult, Db, Executor } from './database.ts';

/** Where a parameter goes in a query compiled once; replaced by the caller's value at each run. */
class Slot {
  constructor(
    readonly name: string,
    /** The row it belongs to, in a multi-row insert (`preparedRows`). */
    readonly row = 0,
  ) {}
}

const slotsOfRow = (row: number) => new Proxy({} as Record<string, Slot>, { get: (_, name) => new Slot(String(name), row) });
const slots = slotsOfRow(0);

/**
 * A hot query built and compiled by Kysely once per database, then run with new values: building
 * and compiling a query costs several times what SQLite takes to run it, and a sync push or an
 * inbox batch runs the same few statements thousands of times.
 *
 * `build` receives stand-ins for the values: it must use them only as values in the query (no
 * `??`, no arithmetic, no `in` lists), and values are bound as given (`null`, never `undefined`).
 * The query runs where `db.q` does: in the caller's transaction, or on its own.
 */
export function prepared<P extends object, R>(build: (q: Executor, values: P) => Compilable<R>) {
  const compiled = new WeakMap<Db, { query: CompiledQuery<R>; slots: (string | null)[] }>();

  function bound(db: Db, values: P): CompiledQuery<R> {
    let entry = compiled.get(db);
    if (!entry) {
      const query = build(db.kysely, slots as unknown as P).compile();
      entry = { query, slots: query.parameters.map((p) => (p instanceof Slot ? p.name : null)) };
      compiled.set(db, entry);
    }
    const { query, slots: names } = entry;
    const given = values as Record<string, unknown>;
    const parameters = new Array<unknown>(names.length);
    for (let i = 0; i < names.length; i += 1) {
      const name = names[i];
      parameters[i] = name === null ? query.parameters[i] : given[name as string];
    }
    return { sql: query.sql, query: query.query, queryId: query.queryId, parameters };
  }

  /** Runs the query; answers `pick` of its result (a resolved promise at once inside a SQLite transaction). */
  function execute<T>(db: Db, values: P, pick: (result: CompiledResult<R>) => T): Promise<T> {
    const query = bound(db, values);
    try {
      const now = db.runCompiledNow(query);
      if (now) return Promise.resolve(pick(now));
    } catch (err) {
      return Promise.reject(err);
    }
    return db.runCompiled(query).then(pick);
  }

  return {
    all: (db: Db, values: P): Promise<R[]> => execute(db, values, rowsOf),
    first: (db: Db, values: P): Promise<R | undefined> => execute(db, values, firstOf),
    /** Runs a write; answers how many rows it changed. */
    run: (db: Db, values: P): Promise<number> => execute(db, values, changesOf),
    /** Runs an insert; answers the new row's id on SQLite (its rowid), null on PostgreSQL (use RETURNING there). */
    insert: (db: Db, values: P): Promise<number | null> => execute(db, values, insertIdOf),
  };
}

const rowsOf = <R>(result: CompiledResult<R>) => result.rows;
const firstOf = <R>(result: CompiledResult<R>) => result.rows[0];
const changesOf = (result: CompiledResult<unknown>) => result.changes;
const insertIdOf = (result: CompiledResult<unknown>) => result.insertId;

/**
 * The row counts a multi-row insert is compiled for: a batch's rows go in as few statements as these
 * allow (the binary digits of the count below 64: an inbox batch of 30 messages writes its 60
 * change-log rows in 4 statements, not 6 as with 16, 4 and 1 only).
 */
const ROW_COUNTS = [64, 32, 16, 8, 4, 2, 1];

/** One statement of `preparedRows`: the rows it inserted (from `from`, `count` of them) and its result. */
export interface InsertedRows<R> {
  from: number;
  count: number;
  result: CompiledResult<R>;
}

/**
 * A multi-row insert, compiled once per database and row count (as `prepared`): `build` receives
 * stand-ins for the rows and must use them as `prepared` says. A transaction's change-log rows are
 * written this way right before its commit: a statement per 64 rows costs less than one per row.
 */
export function preparedRows<P extends object, R>(build: (q: Executor, rows: P[]) => Compilable<R>) {
  const compiled = new WeakMap<Db, Map<number, { query: CompiledQuery<R>; slots: (Slot | null)[] }>>();

  function bound(db: Db, rows: P[], from: number, count: number): CompiledQuery<R> {
    let sizes = compiled.get(db);
    if (!sizes) {
      sizes = new Map();
      compiled.set(db, sizes);
    }
    let entry = sizes.get(count);
    if (!entry) {
      const query = build(db.kysely, Array.from({ length: count }, (_, row) => slotsOfRow(row) as unknown as P)).compile();
      entry = { query, slots: query.parameters.map((p) => (p instanceof Slot ? p : null)) };
      sizes.set(count, entry);
    }
    const { query, slots: stand } = entry;
    const parameters = new Array<unknown>(stand.length);
    for (let i = 0; i < stand.length; i += 1) {
      const slot = stand[i];
      parameters[i] = slot ? (rows[from + slot.row] as Record<string, unknown>)[slot.name] : query.parameters[i];
    }
    return { sql: query.sql, query: query.query, queryId: query.queryId, parameters };
  }

  return {
    /** Inserts `rows` in order; answers each statement's rows and result, in order. */
    async insert(db: Db, rows: P[]): Promise<InsertedRows<R>[]> {
      const done: InsertedRows<R>[] = [];
      for (let from = 0; from < rows.length; ) {
        const count = ROW_COUNTS.find((size) => size <= rows.length - from) as number;
        const query = bound(db, rows, from, count);
        done.push({ from, count, result: db.runCompiledNow(query) ?? (await db.runCompiled(query)) });
        from += count;
      }
      return done;
    },
  };
}
