import type { Db } from './database.ts';
import { prepared } from './prepared.ts';

const settingByKey = prepared((q, p: { key: string }) => q.selectFrom('settings').select('value').where('key', '=', p.key));

/**
 * The `settings` table: one text value per key (integrations, card states, sync epoch and horizon).
 * Every reader and writer of a setting goes through these, so its SQL lives in one place.
 */
export async function readSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await settingByKey.first(db, { key });
  return row?.value;
}

export async function writeSetting(db: Db, key: string, value: string): Promise<void> {
  await db.q
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
    .execute();
}

/** Writes `value` only when the key has none yet; answers the value the key holds afterwards. */
export async function writeSettingOnce(db: Db, key: string, value: string): Promise<string> {
  await db.q.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return (await readSetting(db, key)) ?? value;
}

/** A JSON setting, or undefined when it was never written. */
export async function readJsonSetting<T>(db: Db, key: string): Promise<T | undefined> {
  const value = await readSetting(db, key);
  return value === undefined ? undefined : (JSON.parse(value) as T);
}

export async function writeJsonSetting(db: Db, key: string, value: unknown): Promise<void> {
  await writeSetting(db, key, JSON.stringify(value));
}
