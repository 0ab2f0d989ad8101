import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupSqlite } from '../../src/backup/sqlite-backup.ts';
import { openDatabase } from '../../src/db/database.ts';
import { inboxFileOf, moveInboxRows, openInboxFile } from '../../src/inbox/inbox-file.ts';
import { onlySqlite } from '../support/test-db.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
const folder = (prefix: string) => {
  const made = mkdtempSync(join(tmpdir(), prefix));
  folders.push(made);
  return made;
};

type InboxRow = { eventId: string; state: string };
const inboxOf = (file: string): InboxRow[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT event_id AS eventId, state FROM inbox ORDER BY id').all() as InboxRow[];
  } finally {
    db.close();
  }
};

describe.skipIf(onlySqlite())('npm run backup on SQLite', () => {
  it('keeps the acknowledged webhooks still waiting in the inbox file, and they come back on a restore', async () => {
    const databaseFile = join(folder('desk-backup-source-'), 'desk.sqlite');
    const db = openDatabase(databaseFile);
    const inbox = openInboxFile(inboxFileOf(databaseFile));
    const insert = inbox.sqlite?.prepare('INSERT INTO inbox (source, event_id, payload, state, received_at) VALUES (?, ?, ?, ?, ?)');
    insert?.run('telegram', 'm:telegram:7:1', '{"update_id":1}', 'done', '2026-11-30T21:00:00.000Z');
    insert?.run('meta', 'm:whatsapp:7:2', '{"entry":[]}', 'pending', '2026-11-30T21:00:00.001Z');
    const target = join(folder('desk-backup-target-'), 'copy.sqlite');

    const made = await backupSqlite(databaseFile, target);

    expect(made.inboxRows).toBe(2);
    const kept = [
      { eventId: 'm:telegram:7:1', state: 'done' },
      { eventId: 'm:whatsapp:7:2', state: 'pending' },
    ];
    expect(inboxOf(target)).toEqual(kept);
    // The running server's inbox is left as it was.
    expect(inboxOf(inboxFileOf(databaseFile))).toEqual(kept);
    await inbox.close();
    await db.close();

    // Restored into a new data folder, the rows go back into an inbox file when Desk starts.
    const restored = join(folder('desk-backup-restored-'), 'desk.sqlite');
    await backupSqlite(target, restored);
    expect(existsSync(inboxFileOf(restored))).toBe(false);
    const restoredInbox = openInboxFile(inboxFileOf(restored));
    try {
      expect(moveInboxRows(restoredInbox.sqlite as Database.Database, restored)).toBe(2);
      expect(inboxOf(inboxFileOf(restored))).toEqual(kept);
    } finally {
      await restoredInbox.close();
    }
  });
});
