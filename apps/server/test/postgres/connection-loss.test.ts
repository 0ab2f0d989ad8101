import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres } from '../../src/db/database.ts';
import { readSetting, writeSetting } from '../../src/db/settings-store.ts';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/test-database.ts';

/**
 * PostgreSQL cutting a connection a transaction holds (a restart, a failover, an admin's
 * pg_terminate_backend) fails that transaction and nothing else: the process keeps running and the
 * next transaction gets a fresh connection.
 */
describe.skipIf(!postgresUrl())('a PostgreSQL connection lost inside a transaction', () => {
  const applicationName = 'desk-connection-loss';
  let target: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    target = await createTestDatabase('connection_loss');
    db = await openPostgres(target.url, { applicationName });
  });

  afterAll(async () => {
    await db.close();
    await target.drop();
  });

  it('fails that transaction without an uncaught exception, and the next transaction commits', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const cut = db.transaction(async () => {
        await writeSetting(db, 'cut', 'never stored');
        expect(await target.terminate(applicationName)).toBeGreaterThan(0);
        // The client learns of the cut when its socket ends; until then a query may still be sent.
        for (;;) await readSetting(db, 'cut');
      });
      await expect(cut).rejects.toThrow();
      expect(uncaught).toEqual([]);

      await db.transaction(() => writeSetting(db, 'after', 'stored'));
      expect(await readSetting(db, 'after')).toBe('stored');
      expect(await readSetting(db, 'cut')).toBeUndefined();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
