import { CompiledQuery } from 'kysely';
import type { Db } from './database.ts';

/**
 * Hand-written SQL that both SQLite and PostgreSQL run (`?` placeholders, numbered on PostgreSQL),
 * through the query layer: it runs in the caller's transaction like everything else. For the report
 * queries written as plain SQL; new repositories use the query builder.
 */
function compiled(db: Db, text: string, params: readonly unknown[]): CompiledQuery {
  let n = 0;
  return CompiledQuery.raw(db.dialect === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text, [...params]);
}

export async function rawAll<T>(db: Db, text: string, ...params: unknown[]): Promise<T[]> {
  return (await db.q.executeQuery<T>(compiled(db, text, params))).rows;
}

export async function rawGet<T>(db: Db, text: string, ...params: unknown[]): Promise<T | undefined> {
  return (await rawAll<T>(db, text, ...params))[0];
}

/** Runs a statement; answers how many rows it changed. */
export async function rawRun(db: Db, text: string, ...params: unknown[]): Promise<{ changes: number }> {
  const result = await db.q.executeQuery(compiled(db, text, params));
  return { changes: Number(result.numAffectedRows ?? 0) };
}
