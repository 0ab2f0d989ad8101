import type { Db } from '../db/database.ts';
import { INSTANCE_ID } from './job-lease.ts';

/**
 * Work one instance does at a time, whichever it is: the inbox processor keeps each conversation's
 * messages in order, which two instances taking batches side by side could not. The holder renews
 * the lease as it works; when it stops (it died), the lease runs out after `ms` and the next
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

  /**
   * Until when (this instance's clock) the lease is surely still this instance's without asking: a
   * third of the lease after a renewal, well before any other instance may take it over. The
   * processor asks before every batch, and a renewal is a write (a commit of its own) each time.
   */
  private surelyHeldUntil = 0;

  /** Takes or renews the lease; answers whether this instance holds it now. */
  async hold(now = this.now()): Promise<boolean> {
    if (now < this.surelyHeldUntil) return true;
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
    const held = row?.owner === this.owner;
    this.surelyHeldUntil = held ? now + this.ms / 3 : 0;
    return held;
  }

  /** Lets another instance take over at once (a clean shutdown). */
  async release(): Promise<void> {
    this.surelyHeldUntil = 0;
    await this.db.q.deleteFrom('job_leases').where('name', '=', this.name).where('owner', '=', this.owner).execute();
  }
}
