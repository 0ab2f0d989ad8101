import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { ChangeFeed } from '../../src/sync/change-feed.ts';
import { guardAgainstRestore } from '../../src/sync/restore-guard.ts';
import { syncEpoch } from '../../src/sync/sync-state.ts';

describe('restore guard', () => {
  it('rotates the epoch when the database comes back behind the newest change ever served', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-restore-'));
    const file = join(dataDir, 'desk.sqlite');
    let db = openDatabase(file);
    let changes = new ChangeFeed(db);
    changes.record('intent', 'a', 'put', { id: 'a' });
    const epochBefore = syncEpoch(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // The backup, taken now.
    copyFileSync(file, join(dataDir, 'backup.sqlite'));

    // Life goes on: more changes are served, then the server stops.
    db = openDatabase(file);
    changes = new ChangeFeed(db);
    expect(guardAgainstRestore(db, changes, dataDir).rotated).toBe(false);
    changes.record('intent', 'b', 'put', { id: 'b' });
    changes.record('intent', 'c', 'put', { id: 'c' });
    const guard = guardAgainstRestore(db, changes, dataDir);
    expect(guard.rotated).toBe(false);
    guard.stop();
    expect(syncEpoch(db)).toBe(epochBefore);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();

    // The backup is restored over the live file: same epoch inside, an older log.
    copyFileSync(join(dataDir, 'backup.sqlite'), file);
    db = openDatabase(file);
    changes = new ChangeFeed(db);
    expect(syncEpoch(db)).toBe(epochBefore);
    expect(guardAgainstRestore(db, changes, dataDir).rotated).toBe(true);
    expect(syncEpoch(db)).not.toBe(epochBefore);
    db.close();
  });
});
