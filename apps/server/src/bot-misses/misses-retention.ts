import type { Db } from '../db/database.ts';
import { readReportSettings } from '../reports/report-settings.ts';
import type { MissesRepo } from './misses-repo.ts';

const HOUR_MS = 3_600_000;

/** Deletes misses older than the retention setting (default 90 days): at start, then every hour. */
export class MissesRetention {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: { db: Db; misses: MissesRepo; now?: () => number }) {}

  start(): void {
    this.runOnce();
    this.timer = setInterval(() => this.runOnce(), HOUR_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  runOnce(): number {
    const days = readReportSettings(this.deps.db).missesRetentionDays;
    const now = (this.deps.now ?? Date.now)();
    return this.deps.misses.deleteOlderThan(new Date(now - days * 86_400_000).toISOString());
  }
}
