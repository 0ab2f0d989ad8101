import type { Db } from '../db/database.ts';
import { rawAll, rawRun } from '../db/raw-sql.ts';
import { readReportSettings } from './report-settings.ts';
import { localDate } from './time-zone.ts';

/** How many hours' local days are remembered (a few weeks of traffic). */
const HOURS_REMEMBERED = 2000;

/**
 * The workspace's time zone as the report recorder uses it: which local day an hour belongs to
 * (remembered, Intl is slow next to an insert). Told when the setting changes.
 */
export class ReportZone {
  private zone: string | null = null;
  private readonly days = new Map<string, string>();

  constructor(private readonly db: Db) {}

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
    this.zone = null;
    this.days.clear();
    await rebuildDaily(this.db, (hour) => this.dayOfHour(hour));
  }
}

export async function rebuildDaily(db: Db, dayOfHour: (hour: string) => Promise<string>): Promise<void> {
  await rawRun(db, 'DELETE FROM report_daily');
  const totals = new Map<string, { metric: string; day: string; channel: string; intentId: string; value: number }>();
  const rows = await rawAll<{ metric: string; hour: string; channel: string; intent_id: string; value: number }>(
    db,
    'SELECT metric, hour, channel, intent_id, value FROM report_hourly',
  );
  for (const row of rows) {
    const day = await dayOfHour(row.hour);
    const key = `${row.metric}\u0000${day}\u0000${row.channel}\u0000${row.intent_id}`;
    const total = totals.get(key);
    if (total) total.value += row.value;
    else totals.set(key, { metric: row.metric, day, channel: row.channel, intentId: row.intent_id, value: row.value });
  }
  for (const t of totals.values()) await rawRun(db, 'INSERT INTO report_daily (metric, day, channel, intent_id, value) VALUES (?, ?, ?, ?, ?)', t.metric, t.day, t.channel, t.intentId, Number(t.value));
}
