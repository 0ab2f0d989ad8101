import webpush from 'web-push';
import type { Db } from '../db/database.ts';
import { writeSettingOnce } from '../db/settings-store.ts';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/**
 * The server's VAPID identity for Web Push. From the environment when set, else generated once
 * and kept in the database so existing subscriptions stay valid across restarts.
 * The private key never leaves the server.
 */
export async function loadVapidKeys(db: Db, env: { publicKey: string | null; privateKey: string | null }): Promise<VapidKeys> {
  if (env.publicKey && env.privateKey) return { publicKey: env.publicKey, privateKey: env.privateKey };
  // Two instances starting on an empty database: the first one's keys win, both use them.
  const stored = await writeSettingOnce(db, 'vapid_keys', JSON.stringify(webpush.generateVAPIDKeys()));
  return JSON.parse(stored) as VapidKeys;
}
