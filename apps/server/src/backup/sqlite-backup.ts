import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { inboxFileOf, moveInboxRows } from '../inbox/inbox-file.ts';

/**
 * An online copy of a SQLite database: SQLite's backup API copies it page by page between other
 * connections' writes (better-sqlite3's `backup()`), so the copy is consistent and the server
 * keeps running. The copy is a plain SQLite file: to restore, stop Desk and put it in DATA_DIR as
 * `desk.sqlite` (clients notice the older database and re-sync, see sync/restore-guard.ts).
 *
 * While the processing thread runs, acknowledged webhooks wait in the inbox's own file
 * (inbox/inbox-file.ts). Its rows go into the copy's inbox table, and Desk moves them back into
 * an inbox file when it starts on the restored copy. The inbox is copied first: a row it holds as
 * done was stored in the database before, so the database copied after it has that row's work,
 * and a row still pending there that the database already has is taken as a redelivery.
 */
export async function backupSqlite(source: string, target: string): Promise<{ pages: number; inboxRows: number }> {
  if (!existsSync(source)) throw new Error(`There is no database at ${source} (check DATA_DIR).`);
  if (existsSync(target)) throw new Error(`${target} exists already: give a new file name.`);
  const inboxFile = inboxFileOf(source);
  const scratch = existsSync(inboxFile) ? mkdtempSync(join(tmpdir(), 'desk-backup-inbox-')) : null;
  try {
    const inboxCopy = scratch ? join(scratch, 'inbox.sqlite') : null;
    if (inboxCopy) await copyOnline(inboxFile, inboxCopy);
    const { totalPages } = await copyOnline(source, target);
    let inboxRows = 0;
    if (inboxCopy) {
      const copy = new Database(target);
      try {
        inboxRows = moveInboxRows(copy, inboxCopy);
      } finally {
        copy.close();
      }
    }
    return { pages: totalPages, inboxRows };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function copyOnline(source: string, target: string) {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    return await db.backup(target);
  } finally {
    db.close();
  }
}
