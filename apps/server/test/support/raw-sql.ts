import { CompiledQuery } from 'kysely';
import type { Db } from '../../src/db/database.ts';

/**
 * Tests' hand-written SQL, run through the query layer on whichever database the test uses. `?`
 * placeholders become PostgreSQL's `$1, $2…` there. For assertions and for setting up states the
 * API can't reach (an old row, a broken payload); the code under test never uses it.
 */
export async function rawRows<T = Record<string, unknown>>(db: Db, text: string, ...params: unknown[]): Promise<T[]> {
  let n = 0;
  const query = db.dialect === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
  const result = await db.q.executeQuery<T>(CompiledQuery.raw(query, params));
  return result.rows.map((row) => normalise(row) as T);
}

export async function rawRow<T = Record<string, unknown>>(db: Db, text: string, ...params: unknown[]): Promise<T | undefined> {
  return (await rawRows<T>(db, text, ...params))[0];
}

/** Runs a statement; answers the rows it changed. */
export async function rawRun(db: Db, text: string, ...params: unknown[]): Promise<number> {
  let n = 0;
  const query = db.dialect === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
  const result = await db.q.executeQuery(CompiledQuery.raw(query, params));
  return Number(result.numAffectedRows ?? 0);
}

/** The first column of the first row, as a number (counts). */
export async function rawNumber(db: Db, text: string, ...params: unknown[]): Promise<number> {
  const row = await rawRow(db, text, ...params);
  return Number(row ? Object.values(row)[0] : Number.NaN);
}

/** PostgreSQL answers bigint counts as strings (when not parsed): tests compare numbers. */
function normalise(row: unknown): unknown {
  return row;
}

/**
 * Makes inserts into `table` fail with `message` (when `condition` holds, e.g. `NEW.text = 'poison'`):
 * what a broken row or a full disk looks like to the code. Undo with `dropFailingInserts`.
 */
export async function failInserts(db: Db, name: string, table: string, message: string, condition?: string): Promise<void> {
  const quoted = message.replace(/'/g, "''");
  switch (db.dialect) {
    case 'sqlite':
      await rawRun(db, `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} ${condition ? `WHEN ${condition} ` : ''}BEGIN SELECT RAISE(ABORT, '${quoted}'); END`);
      return;
    case 'postgres':
      await rawRun(db, `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${quoted}'; END $$`);
      await rawRun(db, `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW ${condition ? `WHEN (${condition}) ` : ''}EXECUTE FUNCTION ${name}()`);
      return;
    default:
      throw new Error(`Unknown dialect ${String(db.dialect satisfies never)}`);
  }
}

export async function dropFailingInserts(db: Db, name: string, table: string): Promise<void> {
  if (db.dialect === 'postgres') {
    await rawRun(db, `DROP TRIGGER ${name} ON ${table}`);
    await rawRun(db, `DROP FUNCTION ${name}()`);
  } else {
    await rawRun(db, `DROP TRIGGER ${name}`);
  }
}
