import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

/**
 * An online copy of a SQLite database: SQLite's backup API copies it page by page between other
 * connections' writes (better-sqlite3's `backup()`), so the copy is consistent and the server
 * keeps running. The copy is a plain SQLite file: to restore, stop Desk and put it in DATA_DIR as
 * `desk.sqlite` (clients notice the older database and re-sync, see sync/restore-guard.ts).
 */
export async function backupSqlite(source: string, target: string): Promise<{ pages: number }> {
  if (!existsSync(source)) throw new Error(`There is no database at ${source} (check DATA_DIR).`);
  if (existsSync(target)) throw new Error(`${target} exists already: give a new file name.`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await db.backup(target);
    return { pages: totalPages };
  } finally {
    db.close();
  }
}
