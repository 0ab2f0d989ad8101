/**
 * Slows down password guessing without letting anyone lock an account:
 * - per address (the client's, see TRUST_PROXY): after `maxFailures` failures in the window, that
 *   address waits for the window to pass — it only stops the guesser;
 * - per account: growing delays (1 s, 2 s, 4 s… up to `maxDelayMs`) after `freeFailures` (5) failures, so
 *   guessing one password from many addresses is slow, yet its owner is never locked out for long.
 * A success clears only that account's count (never an address's, nor another account's).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly options: { maxFailures?: number; windowMs?: number; freeFailures?: number; maxDelayMs?: number } = {},
  ) {}

  private get windowMs() {
    return this.options.windowMs ?? 15 * 60_000;
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  retryAfter(account: string, address: string, now = Date.now()): number {
    return Math.max(this.addressWait(address, now), this.accountWait(account, now));
  }

  fail(account: string, address: string, now = Date.now()): void {
    for (const key of [`account:${account}`, `address:${address}`]) this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeed(account: string): void {
    this.failures.delete(`account:${account}`);
  }

  private addressWait(address: string, now: number): number {
    const max = this.options.maxFailures ?? 10;
    const recent = this.recent(`address:${address}`, now);
    if (recent.length < max) return 0;
    const oldest = recent[recent.length - max] ?? now;
    return Math.ceil((oldest + this.windowMs - now) / 1000);
  }

  private accountWait(account: string, now: number): number {
    const recent = this.recent(`account:${account}`, now);
    const over = recent.length - (this.options.freeFailures ?? 5);
    if (over < 0) return 0;
    const delay = Math.min(this.options.maxDelayMs ?? 60_000, 1000 * 2 ** over);
    const last = recent[recent.length - 1] ?? now;
    return Math.max(0, Math.ceil((last + delay - now) / 1000));
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }
}
