import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('files on disk', () => {
  it('creates the data directory, the database and its WAL and SHM files for the owner only', async () => {
    // A permissive umask, as on many servers, must not leak into these files.
    const previous = process.umask(0o002);
    try {
      const parent = mkdtempSync(join(tmpdir(), 'desk-perms-'));
      dirs.push(parent);
      const dataDir = join(parent, 'data');
      const file = join(dataDir, 'desk.sqlite');
      const db = openDatabase(file);
      db.sqlite?.exec('CREATE TABLE IF NOT EXISTS probe (x); INSERT INTO probe VALUES (1);');
      expect([mode(dataDir), mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual(['700', '600', '600', '600']);
      await db.close();
    } finally {
      process.umask(previous);
    }
  });

  it('leaves a shared sticky directory such as /tmp open to others when the database file sits directly in it', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'desk-shared-'));
    dirs.push(shared);
    chmodSync(shared, 0o1777);
    const file = join(shared, 'desk.sqlite');
    const db = openDatabase(file);
    expect([(statSync(shared).mode & 0o7777).toString(8), mode(file)]).toEqual(['1777', '600']);
    await db.close();
  });
});
