import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
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

  timeZone(): string {
    this.zone ??= readReportSettings(this.db).timeZone;
    return this.zone;
  }

  /** The local day of a UTC hour bucket (YYYY-MM-DDTHH). */
  dayOfHour(hour: string): string {
    let day = this.days.get(hour);
    if (day === undefined) {
      day = localDate(Date.parse(`${hour}:00:00Z`), this.timeZone());
      if (this.days.size >= HOURS_REMEMBERED) this.days.clear();
      this.days.set(hour, day);
    }
    return day;
  }

  /**
   * The time zone changed: forget it, and count the days again from the hourly roll-ups (inside the
   * caller's transaction). Seconds for months of traffic; an admin's rare change.
   */
  changed(): void {
    this.zone = null;
    this.days.clear();
    rebuildDaily(this.db, (hour) => this.dayOfHour(hour));
  }
}

export function rebuildDaily(db: Db, dayOfHour: (hour: string) => string): void {
  statement(db, 'DELETE FROM report_daily').run();
  const totals = new Map<string, { metric: string; day: string; channel: string; intentId: string; value: number }>();
  const rows = db.prepare('SELECT metric, hour, channel, intent_id, value FROM report_hourly').iterate() as IterableIterator<{
    metric: string;
    hour: string;
    channel: string;
    intent_id: string;
    value: number;
  }>;
  for (const row of rows) {
    const day = dayOfHour(row.hour);
    const key = `${row.metric}\u0000${day}\u0000${row.channel}\u0000${row.intent_id}`;
    const total = totals.get(key);
    if (total) total.value += row.value;
    else totals.set(key, { metric: row.metric, day, channel: row.channel, intentId: row.intent_id, value: row.value });
  }
  const insert = statement(db, 'INSERT INTO report_daily (metric, day, channel, intent_id, value) VALUES (?, ?, ?, ?, ?)');
  for (const t of totals.values()) insert.run(t.metric, t.day, t.channel, t.intentId, t.value);
}
