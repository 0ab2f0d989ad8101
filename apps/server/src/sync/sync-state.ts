import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import { readSetting, writeSetting } from '../db/settings-store.ts';

const EPOCH_KEY = 'sync_epoch';
const HORIZON_KEY = 'sync_horizon';

/**
 * The server's sync epoch and compaction horizon, kept in `settings`.
 *
 * - The epoch is a random id made at first start. Clients send it back; a different one means
 *   their cursor belongs to another history (the database was restored or replaced), so they
 *   must re-bootstrap. A restored database is noticed at start by `guardAgainstRestore`, which
 *   rotates it; {@link rotateEpoch} can also be called by hand.
 * - The horizon is the oldest cursor the log can still serve: {@link compactLog} drops rows
 *   up to it, and any cursor below it (other than 0, the bootstrap) must re-bootstrap.
 */
export function syncEpoch(db: Db): string {
  const stored = readSetting(db, EPOCH_KEY);
  if (stored !== undefined) return stored;
  const epoch = randomUUID();
  statement(db, 'INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(EPOCH_KEY, epoch);
  return readSetting(db, EPOCH_KEY) as string;
}

/** Starts a new history: every client re-bootstraps on its next pull or push. */
export function rotateEpoch(db: Db): string {
  const epoch = randomUUID();
  writeSetting(db, EPOCH_KEY, epoch);
  return epoch;
}

export function syncHorizon(db: Db): number {
  const stored = readSetting(db, HORIZON_KEY);
  return stored === undefined ? 0 : Number(stored);
}

/**
 * Shrinks the log. Rows superseded by a later row for the same entity are always safe to drop
 * (pulls only ever serve the latest row per entity). Rows at or below `horizon` (including
 * deletes) are dropped too, and cursors below the horizon then answer `reset_required`.
 */
export function compactLog(db: Db, horizon?: number): { removed: number; horizon: number } {
  return db
    .transaction(() => {
      let removed = statement(
        db,
        `DELETE FROM change_log WHERE EXISTS (
             SELECT 1 FROM change_log later
             WHERE later.entity = change_log.entity AND later.entity_id = change_log.entity_id AND later.seq > change_log.seq)`,
      ).run().changes;
      const current = syncHorizon(db);
      if (horizon !== undefined && horizon > current) {
        removed += statement(db, "DELETE FROM change_log WHERE seq <= ? AND op = 'delete'").run(horizon).changes;
        writeSetting(db, HORIZON_KEY, String(horizon));
      }
      return { removed, horizon: Math.max(current, horizon ?? 0) };
    })
    .immediate();
}
