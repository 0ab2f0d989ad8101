import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db/database.ts';
import type { ChangeFeed } from './change-feed.ts';
import { rotateEpoch } from './sync-state.ts';

const MARK_FILE = 'sync-high-water';

/**
 * Notices a restored (or replaced) database without anyone having to say so: the newest change
 * sequence ever served is kept in a small file beside the database, outside it. A database whose
 * log is behind that mark went back in time, so clients' cursors belong to another history: the
 * epoch is rotated and every client re-bootstraps, keeping its pending work.
 * Answers whether it rotated; afterwards keeps the mark current (at most once a second).
 */
export async function guardAgainstRestore(db: Db, changes: ChangeFeed, dataDir: string): Promise<{ rotated: boolean; stop: () => Promise<void> }> {
  const file = join(dataDir, MARK_FILE);
  const mark = existsSync(file) ? Number(readFileSync(file, 'utf8')) || 0 : 0;
  const latest = await changes.latestSeq();
  const rotated = latest < mark;
  if (rotated) await rotateEpoch(db);
  // Written asynchronously: on a busy disk a synchronous write stalls every request for its duration.
  // One write at a time (two overlapping writes of the small file could interleave their bytes).
  let writing: Promise<void> = Promise.resolve();
  const save = () => {
    writing = writing.catch(() => undefined).then(async () => writeFile(file, String(await changes.latestSeq())));
    return writing;
  };
  await save();
  let timer: NodeJS.Timeout | null = null;
  const unsubscribe = changes.onPoke(() => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      save().catch((err) => console.error('[desk] keeping the sync high-water mark failed', err));
    }, 1000);
    timer.unref();
  });
  return {
    rotated,
    async stop() {
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = null;
      await save();
    },
  };
}
