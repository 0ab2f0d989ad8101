import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { ChangeFeed } from '../../src/sync/change-feed.ts';
import { guardAgainstRestore } from '../../src/sync/restore-guard.ts';
import { syncEpoch } from '../../src/sync/sync-state.ts';

describe('restore guard', () => {
  it('rotates the epoch when the database comes back behind the newest change ever served', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-restore-'));
    const file = join(dataDir, 'desk.sqlite');
    let db = openDatabase(file);
    let changes = new ChangeFeed(db);
    await changes.record('intent', 'a', 'put', { id: 'a' });
    const epochBefore = await syncEpoch(db);
    db.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    await db.close();
    // The backup, taken now.
    copyFileSync(file, join(dataDir, 'backup.sqlite'));

    // Life goes on: more changes are served, then the server stops.
    db = openDatabase(file);
    changes = new ChangeFeed(db);
    expect((await guardAgainstRestore(db, changes, dataDir)).rotated).toBe(false);
    await changes.record('intent', 'b', 'put', { id: 'b' });
    await changes.record('intent', 'c', 'put', { id: 'c' });
    const guard = await guardAgainstRestore(db, changes, dataDir);
    expect(guard.rotated).toBe(false);
    await guard.stop();
    expect(await syncEpoch(db)).toBe(epochBefore);
    db.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    await db.close();

    // The backup is restored over the live file: same epoch inside, an older log.
    copyFileSync(join(dataDir, 'backup.sqlite'), file);
    db = openDatabase(file);
    changes = new ChangeFeed(db);
    expect(await syncEpoch(db)).toBe(epochBefore);
    expect((await guardAgainstRestore(db, changes, dataDir)).rotated).toBe(true);
    expect(await syncEpoch(db)).not.toBe(epochBefore);
    await db.close();
  });
});
