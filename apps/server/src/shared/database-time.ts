import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** How often the offset to the database's clock is measured again (hosts' clocks drift and get stepped). */
const REFRESH_MS = 60_000;
/** Round trips per measurement: the quickest one bounds the error best (half its round trip). */
const SAMPLES = 3;

/**
 * The time (ms) the server stamps and compares leases with. SQLite: this process's wall clock (one
 * process uses the file). PostgreSQL: the database's clock, so that every instance's leases (job
 * claims, the inbox processor's) and stamps are on one time, whatever a host's own clock says: this
 * host's clock plus its offset to the database's `clock_timestamp()`, measured at start and again every
 * minute (within half a round trip), so no statement waits for a round trip to read the time.
 */
export async function databaseTime(db: Db, local: () => number = Date.now): Promise<() => number> {
  if (db.dialect !== 'postgres') return local;
  let offset = await offsetToDatabase(db, local);
  let measuredAt = local();
  let measuring = false;
  return () => {
    const at = local();
    if (at - measuredAt >= REFRESH_MS && !measuring && db.isOpen) {
      measuring = true;
      measuredAt = at;
      offsetToDatabase(db, local)
        .then((measured) => {
          offset = measured;
        })
        // A failed measurement (the database unreachable or closing) keeps the last offset.
        .catch(() => {})
        .finally(() => {
          measuring = false;
        });
    }
    return at + offset;
  };
}

/** The database's clock minus this host's, in ms (outside any transaction: `db.kysely`). */
export async function offsetToDatabase(db: Db, local: () => number = Date.now): Promise<number> {
  let best = { roundTrip: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < SAMPLES; i++) {
    const sent = local();
    const { rows } = await sql<{ ms: number }>`SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::float8 AS ms`.execute(db.kysely);
    const received = local();
    const roundTrip = received - sent;
    if (roundTrip < best.roundTrip) best = { roundTrip, offset: Math.round(Number(rows[0]?.ms) - (sent + received) / 2) };
  }
  return best.offset;
}
