/**
 * Counts hits per key in a sliding window, so a public endpoint can refuse floods with 429
 * without slowing down ordinary use. In memory: one server process is the unit of deployment.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private sweeps = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Records a hit; answers 0 when allowed, else the seconds to wait before the next one is. */
  hit(key: string, now = Date.now()): number {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil(((recent[0] as number) + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (++this.sweeps % 1000 === 0) this.sweep(now);
    return 0;
  }

  private sweep(now: number): void {
    for (const [key, times] of this.hits) {
      if (!times.some((t) => t > now - this.windowMs)) this.hits.delete(key);
    }
  }
}
