import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { ChangeFeed, type CommittedBatch } from '../../src/sync/change-feed.ts';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.ts';

/**
 * A transaction's changes are appended to the log right before its commit, several rows per
 * statement: each keeps its own sequence number, in the order recorded, and the streams' carried
 * batch pairs every number with its own change (a wrong pairing would show one message's text
 * under another's id on the agents' devices).
 */
describe('change log appended at commit', () => {
  let dir: string;
  let db: Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-changelog-'));
    db = await openTestDatabase(dir, join(dir, 'desk.sqlite'));
  });

  afterEach(async () => {
    await db.close();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('numbers 150 changes of one transaction in the order recorded, drops a rolled-back savepoint’s, and pokes with each number paired to its change', async () => {
    const feed = new ChangeFeed(db);
    const poked = new Promise<CommittedBatch | undefined>((resolve) => feed.onPoke((_, batch) => resolve(batch)));
    await db.transaction(async () => {
      for (let n = 0; n < 100; n += 1) await feed.record('message', `m${n}`, 'put', { id: `m${n}`, text: `text ${n}` });
      await db
        .transaction(async () => {
          await feed.record('message', 'rolled-back', 'put', { id: 'rolled-back', text: 'never' });
          throw new Error('refused');
        })
        .catch(() => undefined);
      // The same entity twice: the later change must carry the higher number (pulls keep the newest).
      await feed.record('message', 'm0', 'put', { id: 'm0', text: 'text 0, edited' });
      for (let n = 100; n < 149; n += 1) await feed.record('message', `m${n}`, 'put', { id: `m${n}`, text: `text ${n}` });
    });
    const rows = await db.q.selectFrom('change_log').select(['seq', 'entity_id', 'data']).orderBy('seq').execute();
    const expected = [...Array.from({ length: 100 }, (_, n) => `m${n}`), 'm0', ...Array.from({ length: 49 }, (_, n) => `m${n + 100}`)];
    expect(rows.map((row) => row.entity_id)).toEqual(expected);
    expect(JSON.parse(rows[100]?.data as string)).toEqual({ id: 'm0', text: 'text 0, edited' });
    const batch = await poked;
    const bySeq = new Map(rows.map((row) => [Number(row.seq), row.entity_id]));
    if (batch) {
      expect(batch.changes).toHaveLength(150);
      for (const change of batch.changes) {
        expect(bySeq.get(change.seq)).toBe(change.id);
        expect((change.data as { id: string }).id).toBe(change.id);
      }
    } else {
      // PostgreSQL's sequence may skip numbers (the rolled-back row took one): the streams read the log then.
      expect(db.dialect).toBe('postgres');
    }
  });
});
