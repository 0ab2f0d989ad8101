import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { prepared } from '../../src/db/prepared.ts';
import { dropTestDatabase, onlySqlite, openTestDatabase } from '../support/test-db.ts';

// One statement, run again and again with other counts: as the inbox's pending rows and sync's pages are.
const page = prepared((q, p: { limit: number; offset: number }) => q.selectFrom('contacts').select('name').orderBy('name').limit(p.limit).offset(p.offset));

/**
 * Paged reads bind their LIMIT and OFFSET. On SQLite they are written `? + 0` (db/sqlite-query-compiler.ts):
 * binding a bare `LIMIT ?` made SQLite compile the statement again at every run. The pages must stay the
 * same whatever the counts, on the database the project runs on.
 */
describe('paged reads', () => {
  let dir: string;
  let db: Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-limit-'));
    db = await openTestDatabase(dir, join(dir, 'desk.sqlite'));
    const now = new Date().toISOString();
    for (const name of ['Ana', 'Bia', 'Caio', 'Davi', 'Eva']) {
      await db.q.insertInto('contacts').values({ id: `c-${name}`, name, phone: null, email: null, designated_agent_id: null, created_at: now, updated_at: now }).execute();
    }
  });

  afterEach(async () => {
    await db.close();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answer each page with its own count and start, one statement run with new values', async () => {
    const names = async (limit: number, offset: number) => ((await page.all(db, { limit, offset })) as { name: string }[]).map((row) => row.name);
    expect(await names(2, 0)).toEqual(['Ana', 'Bia']);
    expect(await names(2, 2)).toEqual(['Caio', 'Davi']);
    expect(await names(3, 1)).toEqual(['Bia', 'Caio', 'Davi']);
    expect(await names(10, 4)).toEqual(['Eva']);
    expect(await names(1, 5)).toEqual([]);
  });

  it.skipIf(onlySqlite())('write the counts on SQLite so that binding them keeps the statement compiled', () => {
    const { sql } = db.q.selectFrom('contacts').select('name').limit(2).offset(4).compile();
    expect(sql).toMatch(/limit \? \+ 0 offset \? \+ 0$/);
  });
});
