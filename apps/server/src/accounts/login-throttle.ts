import type { Db } from '../db/database.ts';

/**
 * Slows down password guessing without letting anyone lock an account:
 * - per address (the client's, see TRUST_PROXY): after `maxFailures` failures in the window, that
 *   address waits for the window to pass — it only stops the guesser;
 * - per account: growing delays (1 s, 2 s, 4 s… up to `maxDelayMs`) after `freeFailures` (5) failures, so
 *   guessing one password from many addresses is slow, yet its owner is never locked out for long.
 * A success clears only that account's count (never an address's, nor another account's).
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly options: { maxFailures?: number; windowMs?: number; freeFailures?: number; maxDelayMs?: number } = {},
  ) {}

  private get windowMs() {
    return this.options.windowMs ?? 15 * 60_000;
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  async retryAfter(account: string, address: string, now = Date.now()): Promise<number> {
    const [byAddress, byAccount] = await Promise.all([this.recent(`address:${address}`, now), this.recent(`account:${account}`, now)]);
    return Math.max(this.addressWait(byAddress, now), this.accountWait(byAccount, now));
  }

  /**
   * Kept in the database, so every instance behind the load balancer counts the same failures: a
   * guesser spreading attempts over instances is slowed as if there were one.
   */
  async fail(account: string, address: string, now = Date.now()): Promise<void> {
    await this.db.transaction(async (q) => {
      await q.insertInto('login_failures').values([{ key: `account:${account}`, at: now }, { key: `address:${address}`, at: now }]).execute();
      // Failures older than the window no longer count anywhere.
      await q.deleteFrom('login_failures').where('at', '<=', now - this.windowMs).execute();
    });
  }

  async succeed(account: string): Promise<void> {
    await this.db.q.deleteFrom('login_failures').where('key', '=', `account:${account}`).execute();
  }

  private addressWait(recent: number[], now: number): number {
    const max = this.options.maxFailures ?? 10;
    if (recent.length < max) return 0;
    const oldest = recent[recent.length - max] ?? now;
    return Math.ceil((oldest + this.windowMs - now) / 1000);
  }

  private accountWait(recent: number[], now: number): number {
    const over = recent.length - (this.options.freeFailures ?? 5);
    if (over < 0) return 0;
    const delay = Math.min(this.options.maxDelayMs ?? 60_000, 1000 * 2 ** over);
    const last = recent[recent.length - 1] ?? now;
    return Math.max(0, Math.ceil((last + delay - now) / 1000));
  }

  /** The key's failures within the window, oldest first (ms). */
  private async recent(key: string, now: number): Promise<number[]> {
    const rows = await this.db.q
      .selectFrom('login_failures')
      .select('at')
      .where('key', '=', key)
      .where('at', '>', now - this.windowMs)
      .orderBy('at')
      .execute();
    return rows.map((r) => Number(r.at));
  }
}
