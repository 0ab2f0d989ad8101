import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { prepared } from '../../src/db/prepared.ts';
import { readSetting, writeSetting } from '../../src/db/settings-store.ts';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.ts';

/**
 * The one transaction helper, on the database the project runs on (SQLite runs its queries on the
 * connection directly, PostgreSQL through Kysely's pool): what a transaction stores, what it hides
 * from queries outside it, savepoints, after-commit effects, and closing with work under way.
 */
describe('database transactions', () => {
  let dir: string;
  let db: Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-trx-'));
    db = await openTestDatabase(dir, join(dir, 'desk.sqlite'));
  });

  afterEach(async () => {
    await db.close();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores all of a transaction or nothing, and a query from outside never sees its writes before the commit', async () => {
    let written = () => {};
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const refused = db.transaction(async () => {
      await writeSetting(db, 'k', 'uncommitted');
      expect(await readSetting(db, 'k')).toBe('uncommitted');
      written();
      await held;
      throw new Error('refused');
    });
    await wrote;
    // Another call chain while the transaction is open (SQLite: it waits for the one connection).
    const outsideRead = readSetting(db, 'k');
    release();
    await expect(refused).rejects.toThrow('refused');
    expect(await outsideRead).toBeUndefined();
    expect(db.inTransaction).toBe(false);

    await db.transaction(async () => writeSetting(db, 'k', 'committed'));
    expect(await readSetting(db, 'k')).toBe('committed');
  });

  it('undoes only a failed savepoint and its after-commit effects; the rest commits and its effects run once, after', async () => {
    const effects: string[] = [];
    await db.transaction(async () => {
      await writeSetting(db, 'a', '1');
      db.afterCommit(() => effects.push('a'));
      await db.transaction(async () => {
        await writeSetting(db, 'b', '1');
        db.afterCommit(() => effects.push('b'));
        await db.transaction(async () => writeSetting(db, 'c', '1'));
      });
      await expect(
        db.transaction(async () => {
          await writeSetting(db, 'd', '1');
          db.afterCommit(() => effects.push('d'));
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      // Siblings after a failed savepoint still work.
      await db.transaction(async () => writeSetting(db, 'e', '1'));
      expect(effects).toEqual([]);
    });
    expect(effects).toEqual(['a', 'b']);
    expect(await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => readSetting(db, k)))).toEqual(['1', '1', '1', undefined, '1']);
  });

  it('runs a prepared query with new values each time, inside a transaction or on its own', async () => {
    const byKey = prepared((q, p: { key: string }) => q.selectFrom('settings').select('value').where('key', '=', p.key));
    await writeSetting(db, 'x', 'one');
    await writeSetting(db, 'y', 'two');
    expect(await byKey.first(db, { key: 'x' })).toEqual({ value: 'one' });
    expect(await byKey.first(db, { key: 'y' })).toEqual({ value: 'two' });
    await db.transaction(async () => {
      await writeSetting(db, 'x', 'three');
      expect(await byKey.first(db, { key: 'x' })).toEqual({ value: 'three' });
      throw new Error('undo');
    }).catch(() => undefined);
    expect(await byKey.all(db, { key: 'x' })).toEqual([{ value: 'one' }]);
    expect(await byKey.all(db, { key: 'missing' })).toEqual([]);
  });

  it('writes what a transaction gathered once, inside it, before the commit; a rolled-back savepoint loses what it gathered', async () => {
    const writes: string[][] = [];
    const writeSum = async (parts: string[]) => {
      writes.push(parts);
      await writeSetting(db, 'sum', parts.join('+'));
    };
    await db.transaction(async () => {
      await db.beforeCommit(writeSum, 'a');
      await db.transaction(async () => db.beforeCommit(writeSum, 'b'));
      await db.transaction(async () => {
        await db.beforeCommit(writeSum, 'lost');
        throw new Error('undo');
      }).catch(() => undefined);
      await db.beforeCommit(writeSum, 'c');
      expect(writes).toEqual([]);
    });
    expect(writes).toEqual([['a', 'b', 'c']]);
    expect(await readSetting(db, 'sum')).toBe('a+b+c');

    // A failing write fails the whole transaction.
    await expect(
      db.transaction(async () => {
        await writeSetting(db, 'sum', 'uncommitted');
        await db.beforeCommit(async () => {
          throw new Error('cannot write');
        }, 'x');
      }),
    ).rejects.toThrow('cannot write');
    expect(await readSetting(db, 'sum')).toBe('a+b+c');

    // Outside a transaction the write happens at once.
    await db.beforeCommit(writeSum, 'alone');
    expect(await readSetting(db, 'sum')).toBe('alone');
  });

  it('closes only after the work it tracks and a transaction under way have finished', async () => {
    let finish = () => {};
    const slow = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const tracked = (async () => {
      await slow;
      await writeSetting(db, 'late', 'written');
      return readSetting(db, 'late');
    })();
    db.track(tracked);
    const closing = db.close();
    expect(db.isOpen).toBe(false);
    finish();
    await closing;
    await expect(tracked).resolves.toBe('written');
  });

  it('keeps a transaction whole after a quiet second, when the storage that scopes it was switched off', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await db.transaction(async () => writeSetting(db, 'k', 'first'));
      // No transaction for a second: the scope's storage (and the thread's promise hooks) go off.
      vi.advanceTimersByTime(1000);
    } finally {
      vi.useRealTimers();
    }
    // The next transaction switches it on again: its queries run inside it and fail with it.
    await expect(
      db.transaction(async () => {
        await writeSetting(db, 'k', 'refused');
        expect(await readSetting(db, 'k')).toBe('refused');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await readSetting(db, 'k')).toBe('first');
    await db.transaction(async () => db.transaction(async () => writeSetting(db, 'k', 'nested')));
    expect(await readSetting(db, 'k')).toBe('nested');
    expect(db.inTransaction).toBe(false);
  });
});
