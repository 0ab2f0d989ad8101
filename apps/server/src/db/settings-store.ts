import type { Db } from './database.ts';
import { statement } from './statements.ts';

/**
 * The `settings` table: one text value per key (integrations, card states, sync epoch and horizon).
 * Every reader and writer of a setting goes through these two, so its SQL lives in one place.
 */
export function readSetting(db: Db, key: string): string | undefined {
  return (statement(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function writeSetting(db: Db, key: string, value: string): void {
  statement(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** A JSON setting, or undefined when it was never written. */
export function readJsonSetting<T>(db: Db, key: string): T | undefined {
  const value = readSetting(db, key);
  return value === undefined ? undefined : (JSON.parse(value) as T);
}

export function writeJsonSetting(db: Db, key: string, value: unknown): void {
  writeSetting(db, key, JSON.stringify(value));
}
