import webpush from 'web-push';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/**
 * The server's VAPID identity for Web Push. From the environment when set, else generated once
 * and kept in the database so existing subscriptions stay valid across restarts.
 * The private key never leaves the server.
 */
export function loadVapidKeys(db: Db, env: { publicKey: string | null; privateKey: string | null }): VapidKeys {
  if (env.publicKey && env.privateKey) return { publicKey: env.publicKey, privateKey: env.privateKey };
  const row = statement(db, "SELECT value FROM settings WHERE key = 'vapid_keys'").get() as { value: string } | undefined;
  if (row) return JSON.parse(row.value) as VapidKeys;
  const keys = webpush.generateVAPIDKeys();
  statement(db, "INSERT INTO settings (key, value) VALUES ('vapid_keys', ?)").run(JSON.stringify(keys));
  return keys;
}
