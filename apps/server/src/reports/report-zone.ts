import type { Db } from '../db/database.ts';
import { readReportSettings } from './report-settings.ts';
import { localDate } from './time-zone.ts';

/** How many hours' local days are remembered (a few weeks of traffic). */
const HOURS_REMEMBERED = 2000;
/** Rows per statement when the days are counted again (5 parameters each). */
const DAILY_ROWS_PER_INSERT = 500;

/**
 * The workspace's time zone as the report recorder uses it: which local day an hour belongs to
 * (remembered, Intl is slow next to an insert). Told when the setting changes.
 */
export class ReportZone {
  private zone: string | null = null;
  private readonly days = new Map<string, string>();
  private readonly changeListeners = new Set<() => void>();

  constructor(private readonly db: Db) {}

  /** `listener` runs after the commit of a change made through `changed` (another instance then calls `forget`). */
  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  /** Another instance changed the time zone (and counted the days again): read it again when next needed. */
  forget(): void {
    this.zone = null;
    this.days.clear();
  }

  async timeZone(): Promise<string> {
    this.zone ??= (await readReportSettings(this.db)).timeZone;
    return this.zone;
  }

  /** The local day of a UTC hour bucket (YYYY-MM-DDTHH). */
  async dayOfHour(hour: string): Promise<string> {
    let day = this.days.get(hour);
    if (day === undefined) {
      day = localDate(Date.parse(`${hour}:00:00Z`), await this.timeZone());
      if (this.days.size >= HOURS_REMEMBERED) this.days.clear();
      this.days.set(hour, day);
    }
    return day;
  }

  /**
   * The time zone changed: forget it, and count the days again from the hourly roll-ups (inside the
   * caller's transaction). Seconds for months of traffic; an admin's rare change.
   */
  async changed(): Promise<void> {
    this.forget();
    this.db.afterCommit(() => {
      for (const listener of this.changeListeners) listener();
    });
    await rebuildDaily(this.db, (hour) => this.dayOfHour(hour));
  }
}

export async function rebuildDaily(db: Db, dayOfHour: (hour: string) => Promise<string>): Promise<void> {
  await db.q.deleteFrom('report_daily').execute();
  const totals = new Map<string, { metric: string; day: string; channel: string; intent_id: string; value: number }>();
  const rows = await db.q.selectFrom('report_hourly').select(['metric', 'hour', 'channel', 'intent_id', 'value']).execute();
  for (const row of rows) {
    const day = await dayOfHour(row.hour);
    const key = `${row.metric}\u0000${day}\u0000${row.channel}\u0000${row.intent_id}`;
    const total = totals.get(key);
    if (total) total.value += Number(row.value);
    else totals.set(key, { metric: row.metric, day, channel: row.channel, intent_id: row.intent_id, value: Number(row.value) });
  }
  // A few hundred rows per statement: far fewer round trips, and within both databases' parameter limits.
  const all = [...totals.values()];
  for (let i = 0; i < all.length; i += DAILY_ROWS_PER_INSERT) await db.q.insertInto('report_daily').values(all.slice(i, i + DAILY_ROWS_PER_INSERT)).execute();
}
