import type { Compilable, CompiledQuery } from 'kysely';
import type { Db, Executor } from './database.ts';

/** Where a parameter goes in a query compiled once; replaced by the caller's value at each run. */
class Slot {
  constructor(readonly name: string) {}
}

const slots = new Proxy({} as Record<string, Slot>, { get: (_, name) => new Slot(String(name)) });

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
  const compiled = new WeakMap<Db, CompiledQuery<R>>();

  function bound(db: Db, values: P): CompiledQuery<R> {
    let query = compiled.get(db);
    if (!query) {
      query = build(db.kysely, slots as unknown as P).compile();
      compiled.set(db, query);
    }
    return { ...query, parameters: query.parameters.map((p) => (p instanceof Slot ? (values as Record<string, unknown>)[p.name] : p)) };
  }

  return {
    async all(db: Db, values: P): Promise<R[]> {
      return (await db.q.executeQuery(bound(db, values))).rows;
    },
    async first(db: Db, values: P): Promise<R | undefined> {
      return (await db.q.executeQuery(bound(db, values))).rows[0];
    },
    /** Runs a write; answers how many rows it changed. */
    async run(db: Db, values: P): Promise<number> {
      return Number((await db.q.executeQuery(bound(db, values))).numAffectedRows ?? 0);
    },
  };
}
