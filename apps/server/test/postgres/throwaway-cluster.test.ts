import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/test-database.ts';

const CLUSTER_MODULE = fileURLToPath(new URL('../../../../scripts/postgres/throwaway-cluster.mjs', import.meta.url));

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresUrl())('the throwaway PostgreSQL cluster for tests', () => {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of made) await database.drop();
  });

  it('is PostgreSQL 15 or later and gives each test file a database of its own', async () => {
    const [a, b] = [await createTestDatabase('cluster a'), await createTestDatabase('cluster b')];
    made.push(a, b);
    const [row] = await query<{ server_version_num: string }>(a.url, 'SHOW server_version_num');
    expect(Number(row?.server_version_num)).toBeGreaterThanOrEqual(150000);
    await query(a.url, 'CREATE TABLE only_in_a (x int); INSERT INTO only_in_a VALUES (1)');
    await expect(query(b.url, 'SELECT * FROM only_in_a')).rejects.toThrow(/does not exist/);
    expect(await query(a.url, 'SELECT x FROM only_in_a')).toEqual([{ x: 1 }]);
  });

  it('drops a test database even while a connection is still open on it', async () => {
    const database = await createTestDatabase('dropped');
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    holder.on('error', () => {});
    await database.drop();
    const names = await query<{ datname: string }>(postgresUrl() as string, 'SELECT datname FROM pg_database');
    expect(names.map((row) => row.datname)).not.toContain(database.name);
    await holder.end().catch(() => {});
  });

  it('stops and deletes a cluster whose starter was SIGKILLed', async () => {
    // A runner killed outright never runs its teardown: the keeper must notice on its own.
    const starter = spawn(
      process.execPath,
      ['--input-type=module', '-e', `
        const { startThrowawayCluster } = await import(${JSON.stringify(CLUSTER_MODULE)});
        const cluster = await startThrowawayCluster();
        console.log(JSON.stringify({ url: cluster.url, dir: cluster.dir }));
        process.stdin.once('data', () => process.kill(process.pid, 'SIGKILL'));
      `],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const info = await new Promise<{ url: string; dir: string }>((resolve, reject) => {
      starter.stdout.setEncoding('utf8').once('data', (line: string) => resolve(JSON.parse(line)));
      starter.once('exit', (code) => reject(new Error(`the starter exited early (${code})`)));
    });
    expect(existsSync(info.dir)).toBe(true);
    expect(await query(info.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    // The keeper writes to the starter's stderr pipe: the pipe ends once the keeper is gone too.
    const keeperGone = new Promise<void>((resolve) => starter.stderr.on('end', resolve).resume());
    starter.stdin.write('go\n');
    await keeperGone;
    expect(existsSync(info.dir)).toBe(false);
    await expect(query(info.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  });
});
