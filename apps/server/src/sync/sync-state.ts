import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { readSetting, writeSetting, writeSettingOnce } from '../db/settings-store.ts';

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
export async function syncEpoch(db: Db): Promise<string> {
  const stored = await readSetting(db, EPOCH_KEY);
  if (stored !== undefined) return stored;
  // Two instances starting together on an empty database: the first write wins, both read it.
  return writeSettingOnce(db, EPOCH_KEY, randomUUID());
}

/** Starts a new history: every client re-bootstraps on its next pull or push. */
export async function rotateEpoch(db: Db): Promise<string> {
  const epoch = randomUUID();
  await writeSetting(db, EPOCH_KEY, epoch);
  return epoch;
}

export async function syncHorizon(db: Db): Promise<number> {
  const stored = await readSetting(db, HORIZON_KEY);
  return stored === undefined ? 0 : Number(stored);
}

/**
 * Shrinks the log. Rows superseded by a later row for the same entity are always safe to drop
 * (pulls only ever serve the latest row per entity). Rows at or below `horizon` (including
 * deletes) are dropped too, and cursors below the horizon then answer `reset_required`. The
 * newest row stays whatever it is: on PostgreSQL it is the log's head.
 */
export function compactLog(db: Db, horizon?: number): Promise<{ removed: number; horizon: number }> {
  return db.transaction(async (q) => {
    const superseded = await q
      .deleteFrom('change_log')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('change_log as later')
            .select('later.seq')
            .whereRef('later.entity', '=', 'change_log.entity')
            .whereRef('later.entity_id', '=', 'change_log.entity_id')
            .whereRef('later.seq', '>', 'change_log.seq'),
        ),
      )
      .executeTakeFirst();
    let removed = Number(superseded.numDeletedRows);
    const current = await syncHorizon(db);
    if (horizon !== undefined && horizon > current) {
      const head = await q.selectFrom('change_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
      const deletes = await q
        .deleteFrom('change_log')
        .where('seq', '<=', horizon)
        .where('op', '=', 'delete')
        .where('seq', '<', Number(head?.seq ?? 0))
        .executeTakeFirst();
      removed += Number(deletes.numDeletedRows);
      await writeSetting(db, HORIZON_KEY, String(horizon));
    }
    return { removed, horizon: Math.max(current, horizon ?? 0) };
  });
}
