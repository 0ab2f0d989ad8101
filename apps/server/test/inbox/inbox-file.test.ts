import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../src/db/checkpointer.ts';
import { openDatabase } from '../../src/db/database.ts';
import { AcksWaiting } from '../../src/inbox/acks-waiting.ts';
import { inboxFileOf, moveInboxRows, openInboxFile } from '../../src/inbox/inbox-file.ts';
import { InboxRepo } from '../../src/inbox/inbox-repo.ts';
import { InboxWriter } from '../../src/inbox/inbox-writer.ts';
import { onlySqlite } from '../support/test-db.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp() {
  const databaseFile = join(mkdtempSync(join(tmpdir(), 'desk-inbox-file-')), 'desk.sqlite');
  const db = openDatabase(databaseFile);
  const inboxFile = inboxFileOf(databaseFile);
  const store = openInboxFile(inboxFile);
  const waiting = new AcksWaiting();
  const writer = new InboxWriter(inboxFile, waiting);
  cleanups.push(() => db.close(), () => store.close(), () => writer.close());
  const raw = (which: typeof db) => {
    if (!which.sqlite) throw new Error('SQLite expected');
    return which.sqlite;
  };
  return { db, store, writer, waiting, databaseFile, inboxFile, main: raw(db), inbox: raw(store), repo: new InboxRepo(db, writer, store) };
}

const rowsOf = (raw: ReturnType<typeof setUp>['main']) =>
  raw.prepare('SELECT source, event_id AS eventId, state FROM inbox ORDER BY id').all() as { source: string; eventId: string; state: string }[];

describe.skipIf(onlySqlite())('the inbox in a file of its own (SQLite with the processing thread)', () => {
  it('stores a webhook at once while a batch holds the database’s write lock, and nobody waits', async () => {
    const { main, repo, waiting, inbox } = setUp();
    main.exec('BEGIN IMMEDIATE');
    main.prepare("INSERT INTO settings (key, value) VALUES ('held', '1')").run();
    try {
      expect(await repo.insert('telegram', 'm:telegram:1:1', '{}', '2026-11-30T20:00:00.000Z')).toBe(true);
      expect(waiting.any()).toBe(false);
      expect(rowsOf(inbox)).toEqual([{ source: 'telegram', eventId: 'm:telegram:1:1', state: 'pending' }]);
      // The processor reads and marks its rows there, outside the database's transaction.
      const [row] = await repo.takePending(10);
      await repo.markDone([row?.id as number], '2026-11-30T20:00:01.000Z');
      expect(rowsOf(inbox)[0]?.state).toBe('done');
    } finally {
      main.exec('ROLLBACK');
    }
  });

  it('is checkpointed by the checkpointer’s worker with the database, not by the commits that write it', async () => {
    const { main, inbox, repo, databaseFile, inboxFile } = setUp();
    const checkpointer = startCheckpointer(
      [
        { db: main, file: databaseFile },
        { db: inbox, file: inboxFile },
      ],
      20,
    );
    cleanups.push(() => checkpointer.stop());
    // The webhooks' writer and the processor's connection (which marks rows done) leave it to the worker.
    expect(inbox.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const emptySize = statSync(inboxFile).size;
    for (let n = 0; n < 200; n += 1) await repo.insert('telegram', `m:telegram:9:${n}`, JSON.stringify({ text: 'x'.repeat(500) }), '2026-11-30T20:00:00.000Z');
    // The rows reach the inbox file itself (out of its WAL) without any commit checkpointing.
    await expect.poll(() => statSync(inboxFile).size, { timeout: 5_000 }).toBeGreaterThan(emptySize + 100 * 1024);
  });

  it('takes over the rows the database’s own inbox held, in order, and still recognises their redeliveries', async () => {
    const { main, inbox, writer, databaseFile, inboxFile } = setUp();
    const insert = main.prepare('INSERT INTO inbox (source, event_id, payload, state, received_at) VALUES (?, ?, ?, ?, ?)');
    insert.run('telegram', 'm:telegram:7:1', '{}', 'done', '2026-11-30T20:00:00.000Z');
    insert.run('meta', 'm:whatsapp:7:2', '{}', 'pending', '2026-11-30T20:00:00.001Z');
    insert.run('smooch', 'm:smooch:7:3', '{}', 'set_aside', '2026-11-30T20:00:00.002Z');

    expect(moveInboxRows(inbox, databaseFile)).toBe(3);
    expect(rowsOf(main)).toEqual([]);
    expect(rowsOf(inbox)).toEqual([
      { source: 'telegram', eventId: 'm:telegram:7:1', state: 'done' },
      { source: 'meta', eventId: 'm:whatsapp:7:2', state: 'pending' },
      { source: 'smooch', eventId: 'm:smooch:7:3', state: 'set_aside' },
    ]);
    expect(await writer.insert('telegram', 'm:telegram:7:1', '{}', '2026-11-30T20:00:02.000Z')).toBe(false);

    // Without the processing thread the inbox is the database's again: the rows go back.
    expect(moveInboxRows(main, inboxFile)).toBe(3);
    expect(rowsOf(inbox)).toEqual([]);
    expect(rowsOf(main).map((row) => row.state)).toEqual(['done', 'pending', 'set_aside']);
  });
});
