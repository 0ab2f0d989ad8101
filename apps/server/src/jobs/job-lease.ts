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
