import { type Expression, type RawBuilder, sql } from 'kysely';
import type { DialectName } from './database.ts';

/**
 * The few SQL spellings SQLite and PostgreSQL don't share, each in one place. Everything else in the
 * repositories is the query builder's portable SQL.
 */

/** A top-level text field of a JSON text column (`null` when missing). */
export function jsonText(dialect: DialectName, column: Expression<string | null>, key: string): RawBuilder<string | null> {
  switch (dialect) {
    case 'sqlite':
      return sql<string | null>`json_extract(${column}, ${`$.${key}`})`;
    case 'postgres':
      return sql<string | null>`(${column}::jsonb ->> ${key})`;
    default:
      return exhaustive(dialect);
  }
}

/** Case-insensitive ordering for names (SQLite's NOCASE; PostgreSQL compares lower-cased text). */
export function caseless(dialect: DialectName, column: Expression<string>): RawBuilder<string> {
  switch (dialect) {
    case 'sqlite':
      return sql<string>`${column} COLLATE NOCASE`;
    case 'postgres':
      return sql<string>`lower(${column})`;
    default:
      return exhaustive(dialect);
  }
}

function exhaustive(value: never): never {
  throw new Error(`Unknown dialect: ${String(value)}`);
}

/** `LIKE pattern ESCAPE '\'`, case-insensitive on both (SQLite's LIKE is, for ASCII; PostgreSQL's ILIKE). */
export function likeText(dialect: DialectName, column: Expression<string | null>, pattern: string): RawBuilder<boolean> {
  const op = dialect === 'postgres' ? sql`ILIKE` : sql`LIKE`;
  return sql<boolean>`${column} ${op} ${pattern} ESCAPE '\\'`;
}

/** `%text%` with LIKE's wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
}

/**
 * A group's numbers as one comma-separated text (SQLite's group_concat, PostgreSQL's string_agg):
 * tens of thousands of values come back as one row instead of as many, which costs far less to send
 * and read than rows (report percentiles). Read it with `numbersOf`.
 */
export function numberList(dialect: DialectName, column: Expression<number | null>): RawBuilder<string | null> {
  switch (dialect) {
    case 'sqlite':
      return sql<string | null>`group_concat(${column}, ',')`;
    case 'postgres':
      return sql<string | null>`string_agg(${column}::text, ',')`;
    default:
      return exhaustive(dialect);
  }
}

/** The numbers of a `numberList` text. */
export function numbersOf(list: string | null): number[] {
  return list ? list.split(',').map(Number) : [];
}
