import type { Db } from '../db/database.ts';
import { INSTANCE_ID } from './job-lease.ts';

/**
 * Work one instance does at a time, whichever it is: the inbox processor keeps each conversation's
 * messages in order, which two instances taking batches side by side could not. The holder renews
 * the lease with every batch; when it stops (it died), the lease runs out after `ms` and the next
 * instance that tries takes it over. `now`: the database's time on PostgreSQL (shared/database-time.ts),
 * so an instance whose own clock runs ahead does not take a live holder's lease.
 */
export class LeaderLease {
  constructor(
    private readonly db: Db,
    private readonly name: string,
    private readonly ms: number,
    private readonly owner = INSTANCE_ID,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes or renews the lease; answers whether this instance holds it now. */
  async hold(now = this.now()): Promise<boolean> {
    const row = await this.db.q
      .insertInto('job_leases')
      .values({ name: this.name, owner: this.owner, until: new Date(now + this.ms).toISOString() })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({ owner: eb.ref('excluded.owner'), until: eb.ref('excluded.until') }))
          .where((eb) => eb.or([eb('job_leases.owner', '=', this.owner), eb('job_leases.until', '<', new Date(now).toISOString())])),
      )
      .returning('owner')
      .executeTakeFirst();
    return row?.owner === this.owner;
  }

  /** Lets another instance take over at once (a clean shutdown). */
  async release(): Promise<void> {
    await this.db.q.deleteFrom('job_leases').where('name', '=', this.name).where('owner', '=', this.owner).execute();
  }
}
