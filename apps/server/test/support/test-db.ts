import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openDatabase, openPostgres } from '../../src/db/database.ts';
import { postgresUrl } from './test-database.ts';

/**
 * Which database the server's tests run on: SQLite (the `server` project) or PostgreSQL (the
 * `server-postgres` project sets DESK_TEST_DB=postgres and runs the same files again).
 */
export function testDialect(): 'sqlite' | 'postgres' {
  return process.env.DESK_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

/** A test that can only run on one of them (SQLite pragmas, a file copied as a backup…). */
export const onlySqlite = () => testDialect() !== 'sqlite';

const PG_URL_FILE = 'postgres-test-url';
let template: Promise<string> | null = null;

/**
 * The test's database: the SQLite file in `dataDir`, or on PostgreSQL a fresh database made from a
 * migrated template (fast: a file copy), remembered in `dataDir` so a restart on the same
 * `dataDir` opens the same database again.
 */
export async function openTestDatabase(dataDir: string, databaseFile: string): Promise<Database> {
  if (testDialect() === 'sqlite') return openDatabase(databaseFile);
  const remembered = join(dataDir, PG_URL_FILE);
  if (existsSync(remembered)) return openPostgres(readFileSync(remembered, 'utf8').trim(), { max: 4 });
  const base = postgresUrl();
  if (!base) throw new Error('DESK_TEST_DB=postgres needs the throwaway cluster (postgres-global-setup.ts).');
  template ??= makeTemplate(base);
  const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const source = await template;
  // The template's last connection may still be closing on the server's side: retry while it is.
  for (let attempt = 0; ; attempt++) {
    try {
      await onAdmin(base, `CREATE DATABASE "${name}" TEMPLATE "${source}"`);
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt >= 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const url = withDatabase(base, name);
  writeFileSync(remembered, url);
  return openPostgres(url, { max: 4 });
}

/** Drops the test's PostgreSQL database (after its Database was closed). */
export async function dropTestDatabase(dataDir: string): Promise<void> {
  const remembered = join(dataDir, PG_URL_FILE);
  const base = postgresUrl();
  if (!base || !existsSync(remembered)) return;
  const name = new URL(readFileSync(remembered, 'utf8').trim()).pathname.slice(1);
  await onAdmin(base, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Everything a test stored: its PostgreSQL database (if any) and its data folder. */
export async function removeTestData(dataDir: string): Promise<void> {
  await dropTestDatabase(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
}

/** One migrated, empty database per test worker, copied for each test. */
async function makeTemplate(base: string): Promise<string> {
  const name = `desk_template_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await onAdmin(base, `CREATE DATABASE "${name}"`);
  const db = await openPostgres(withDatabase(base, name), { max: 1 });
  await db.close();
  return name;
}

function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onAdmin(base: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
