import type { Db } from '../db/database.ts';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** This process among the instances sharing a database: the owner written on the jobs it claims. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/**
 * How a queue's jobs are claimed: an instance takes due rows for `ms` (FOR UPDATE SKIP LOCKED on
 * PostgreSQL, so two instances never take the same row), and finishing a job ends its lease. A job
 * whose lease ran out was abandoned (its instance died mid-way): another instance takes it again.
 * So `ms` must outlast the longest attempt (the platform call's timeout and then some).
 */
export interface JobLease {
  owner: string;
  ms: number;
}

export function leaseFor(ms: number, owner = INSTANCE_ID): JobLease {
  return { owner, ms };
}

/** When a lease taken now ends (ISO). */
export function leaseEnd(now: string, lease: JobLease): string {
  return new Date(Date.parse(now) + lease.ms).toISOString();
}

/**
 * SQLite: one process uses the file, so a lease found when the server starts belongs to a process
 * that died (SIGKILL, power loss). Its jobs are due again at once instead of after their lease.
 * (PostgreSQL: another live instance may hold it; it runs out by itself.)
 */
export async function releaseLeasesOfDeadProcess(db: Db): Promise<void> {
  if (db.dialect !== 'sqlite') return;
  await db.transaction(async (q) => {
    for (const table of ['outbox', 'channel_media_jobs', 'handoff_jobs'] as const) {
      await q.updateTable(table).set({ lease_owner: null, lease_until: null }).where('lease_until', 'is not', null).execute();
    }
    await q.deleteFrom('job_leases').execute();
  });
}
