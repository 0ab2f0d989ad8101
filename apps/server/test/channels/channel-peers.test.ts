import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelPeers } from '../../src/channels/inbound/channel-peers.ts';
import { createTestDesk, type TestDesk } from '../support/desk-fixture.ts';
import { rawRows } from '../support/raw-sql.ts';
import { statementsDuring } from '../support/statement-count.ts';

// A peer's details (the Messenger page a user wrote to) decide where the reply is sent from: what
// Desk keeps in memory of them must be what the table holds.

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk();
});
afterEach(() => t.close());

const NOW = '2026-01-01T00:00:00.000Z';
const stored = async () => rawRows<{ details: string }>(t.services.db, "SELECT details FROM channel_peers WHERE channel = 'messenger' AND external_id = 'psid-1'");

describe('channel peers', () => {
  it('details whose transaction rolled back are not taken as known: the next message writes them', async () => {
    const { db } = t.services;
    const peers = new ChannelPeers(db);
    await expect(
      db.transaction(async () => {
        await peers.remember('messenger', 'psid-1', { pageId: 'page-1' }, NOW);
        expect(await peers.get('messenger', 'psid-1')).toEqual({ pageId: 'page-1' });
        throw new Error('the batch failed');
      }),
    ).rejects.toThrow('the batch failed');
    expect(await stored()).toHaveLength(0);
    expect(await peers.get('messenger', 'psid-1')).toEqual({});

    await peers.remember('messenger', 'psid-1', { pageId: 'page-1' }, NOW);
    expect((await stored()).map((row) => JSON.parse(row.details))).toEqual([{ pageId: 'page-1' }]);
    // New details merge over the known ones, in the table too.
    await db.transaction(() => peers.remember('messenger', 'psid-1', { userRef: 'ref-9' }, NOW));
    expect((await stored()).map((row) => JSON.parse(row.details))).toEqual([{ pageId: 'page-1', userRef: 'ref-9' }]);
    expect(await new ChannelPeers(db).get('messenger', 'psid-1')).toEqual({ pageId: 'page-1', userRef: 'ref-9' });
  });

  it.skipIf(process.env.DESK_TEST_DB === 'postgres')('on SQLite, known details are neither read nor written again', async () => {
    const { db } = t.services;
    const sqlite = db.sqlite;
    if (!sqlite) throw new Error('SQLite only');
    const peers = new ChannelPeers(db);
    await peers.remember('messenger', 'psid-1', { pageId: 'page-1' }, NOW);
    const count = await statementsDuring(sqlite, async () => {
      await db.transaction(() => peers.remember('messenger', 'psid-1', { pageId: 'page-1' }, NOW));
      expect(await peers.get('messenger', 'psid-1')).toEqual({ pageId: 'page-1' });
    });
    // BEGIN IMMEDIATE and COMMIT only.
    expect(count).toBe(2);
  });
});
