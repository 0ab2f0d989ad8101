import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The throwaway cluster's URL (see postgres-global-setup.ts), or null: `describe.skipIf(!postgresUrl())`. */
export function postgresUrl(): string | null {
  return inject('databaseUrl');
}

export interface TestDatabase {
  /** postgres://…/<fresh database> */
  url: string;
  name: string;
  /** Drops the database, disconnecting whoever is still on it. */
  drop(): Promise<void>;
  /** Lets new connections in, or refuses them (as a database that is down would). */
  allowConnections(allowed: boolean): Promise<void>;
  /** Kills the connections opened with this `application_name`; answers how many. */
  terminate(applicationName: string): Promise<number>;
}

/**
 * A fresh, empty database in the throwaway cluster, for one test file (or one test): nothing
 * leaks between files that run at the same time. Call `drop()` in afterAll.
 */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const base = postgresUrl();
  if (!base) throw new Error('No PostgreSQL for tests: install postgresql or set DESK_TEST_DATABASE_URL.');
  const name = `${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40)}_${randomBytes(4).toString('hex')}`;
  await onAdmin(base, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => onAdmin(base, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
    allowConnections: (allowed) =>
      onAdmin(base, (client) => client.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS ${allowed}`)).then(() => undefined),
    terminate: (applicationName) =>
      onAdmin(base, (client) =>
        client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [name, applicationName]),
      ).then((result) => result.rowCount ?? 0),
  };
}

async function onAdmin<T>(base: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
