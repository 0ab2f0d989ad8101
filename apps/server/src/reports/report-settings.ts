import { DEFAULT_MISSES_RETENTION_DAYS, ReportSettings } from '@desk/core';
import type { Db } from '../db/database.ts';
import { readJsonSetting, writeJsonSetting } from '../db/settings-store.ts';
import { serverTimeZone } from './time-zone.ts';

const KEY = 'reports';

/** The workspace's time zone (default the server's) and the misses' retention (default 90 days). */
export function readReportSettings(db: Db): ReportSettings {
  const stored = ReportSettings.partial().safeParse(readJsonSetting<unknown>(db, KEY) ?? {});
  const value = stored.success ? stored.data : {};
  return { timeZone: value.timeZone ?? serverTimeZone(), missesRetentionDays: value.missesRetentionDays ?? DEFAULT_MISSES_RETENTION_DAYS };
}

export function writeReportSettings(db: Db, settings: ReportSettings): ReportSettings {
  writeJsonSetting(db, KEY, settings);
  return settings;
}
