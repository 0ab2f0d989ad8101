import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { ChangeFeed, logHead } from '../../src/sync/change-feed.ts';
import { openTestDatabase, removeTestData } from '../support/test-db.ts';
import { postgresUrl } from '../support/test-database.ts';

/**
 * PostgreSQL hands out sequence numbers when rows are inserted, not when they commit: a transaction
 * holding seq 10 can commit after one holding seq 11. A reader that took `seq > cursor` in between
 * would move its cursor past 10 and never see it. These tests make two transactions commit in the
 * other order and follow the log the way a device does.
 */
let dataDir: string;
let db: Database;
let changes: ChangeFeed;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'desk-cursor-'));
  db = await openTestDatabase(dataDir, join(dataDir, 'unused.sqlite'));
  changes = new ChangeFeed(db);
});
afterEach(async () => {
  await db.close();
  await removeTestData(dataDir);
});

/** What a device sees: every row after its cursor up to the head, then the head as the new cursor. */
async function follow(cursor: number): Promise<{ ids: string[]; cursor: number }> {
  const head = await logHead(db);
  const rows = await db.q.selectFrom('change_log').select(['seq', 'entity_id']).where('seq', '>', cursor).where('seq', '<=', head).orderBy('seq').execute();
  return { ids: rows.map((r) => r.entity_id), cursor: Math.max(cursor, head) };
}

/** A promise and the function that settles it: the test decides when a transaction may commit. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe.skipIf(!postgresUrl() || process.env.DESK_TEST_DB !== 'postgres')('the change-log cursor on PostgreSQL', () => {
  it('a reader of bare sequence numbers skips a row that commits after a later one (what Desk must prevent)', async () => {
    const url = readUrl(dataDir);
    const first = new pg.Client({ connectionString: url });
    const second = new pg.Client({ connectionString: url });
    await first.connect();
    await second.connect();
    try {
      const insert = "INSERT INTO change_log (entity, entity_id, op, data, created_at) VALUES ('intent', $1, 'put', '{}', 'now') RETURNING seq";
      await first.query('BEGIN');
      const a = Number((await first.query(insert, ['a'])).rows[0].seq);
      await second.query('BEGIN');
      const b = Number((await second.query(insert, ['b'])).rows[0].seq);
      expect(b).toBeGreaterThan(a);
      await second.query('COMMIT');
      // Without Desk's serialisation the newest committed row is b: a naive reader jumps to it.
      const naive = (await db.q.selectFrom('change_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()).seq;
      expect(Number(naive)).toBe(b);
      await first.query('COMMIT');
      const after = await db.q.selectFrom('change_log').select('entity_id').where('seq', '>', Number(naive)).execute();
      expect(after.map((r) => r.entity_id)).not.toContain('a');
    } finally {
      await first.end();
      await second.end();
    }
  });

  it('through Desk the second writer waits for the first, so a cursor never passes an uncommitted row', async () => {
    let cursor = (await follow(0)).cursor;
    const seen: string[] = [];
    const holdFirst = gate();
    const firstRecorded = gate();
    // The first transaction takes its number and holds its commit until the test says so.
    const first = db.transaction(async () => {
      await changes.record('intent', 'first', 'put', { id: 'first' });
      firstRecorded.open();
      await holdFirst.opened;
    });
    await firstRecorded.opened;
    // The second starts now and would like to commit first.
    let secondCommitted = false;
    const second = db.transaction(async () => {
      await changes.record('intent', 'second', 'put', { id: 'second' });
    }).then(() => {
      secondCommitted = true;
    });
    // Wait until the second has either committed (what serialisation must prevent) or is queued
    // behind the first for the writers' lock.
    for (;;) {
      if (secondCommitted) break;
      const waiting = await db.q
        .selectFrom(sql<{ locktype: string; granted: boolean }>`pg_locks`.as('l'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('l.locktype', '=', 'advisory')
        .where('l.granted', '=', false)
        .executeTakeFirstOrThrow();
      if (Number(waiting.n) > 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(secondCommitted).toBe(false);
    // A device pulling now sees neither and keeps its cursor below the first's number. (Had the
    // second committed, this pull would take it and move the cursor past the first for good.)
    const meanwhile = await follow(cursor);
    expect(meanwhile.ids).toEqual([]);
    cursor = meanwhile.cursor;
    holdFirst.open();
    await first;
    await second;
    for (let page = await follow(cursor); page.ids.length > 0 || page.cursor > cursor; page = await follow(cursor)) {
      seen.push(...page.ids);
      cursor = page.cursor;
    }
    expect(seen).toEqual(['first', 'second']);
    // Numbers follow the commit order.
    const rows = await db.q.selectFrom('change_log').select(['seq', 'entity_id']).where('entity_id', 'in', ['first', 'second']).orderBy('seq').execute();
    expect(rows.map((r) => r.entity_id)).toEqual(['first', 'second']);
  });

  it('many writers at once: a device following the log with pulls misses nothing', async () => {
    const written = Array.from({ length: 40 }, () => randomUUID());
    let cursor = (await follow(0)).cursor;
    const seen = new Set<string>();
    let done = false;
    const writers = Promise.all(written.map((id) => db.transaction(async () => void (await changes.record('intent', id, 'put', { id }))))).then(() => {
      done = true;
    });
    // Pull while they commit, then once more after the last commit.
    while (!done) {
      const page = await follow(cursor);
      for (const id of page.ids) seen.add(id);
      cursor = page.cursor;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writers;
    const last = await follow(cursor);
    for (const id of last.ids) seen.add(id);
    expect([...seen].sort()).toEqual([...written].sort());
  });
});

function readUrl(dir: string): string {
  // test-db.ts remembers the database's URL beside the data.
  return readFileSync(join(dir, 'postgres-test-url'), 'utf8').trim();
}
