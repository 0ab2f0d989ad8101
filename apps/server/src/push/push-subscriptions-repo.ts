import type { PushSubscriptionInput } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';

export interface StoredSubscription {
  endpoint: string;
  agentId: string;
  p256dh: string;
  auth: string;
  lang: PushSubscriptionInput['lang'];
}

/** The devices each agent gets push notifications on. */
export class PushSubscriptionsRepo {
  constructor(private readonly db: Db) {}

  save(agentId: string, input: PushSubscriptionInput): void {
    // An endpoint belongs to one browser profile: whoever signs in on it last receives its notifications.
    statement(
      this.db,
      `INSERT INTO push_subscriptions (endpoint, agent_id, p256dh, auth, lang, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (endpoint) DO UPDATE SET agent_id = excluded.agent_id, p256dh = excluded.p256dh, auth = excluded.auth, lang = excluded.lang`,
    ).run(input.endpoint, agentId, input.keys.p256dh, input.keys.auth, input.lang, new Date().toISOString());
  }

  remove(endpoint: string, agentId?: string): void {
    if (agentId) statement(this.db, 'DELETE FROM push_subscriptions WHERE endpoint = ? AND agent_id = ?').run(endpoint, agentId);
    else statement(this.db, 'DELETE FROM push_subscriptions WHERE endpoint = ?').run(endpoint);
  }

  /** Subscriptions of the given active agents. */
  forAgents(agentIds: readonly string[]): StoredSubscription[] {
    if (agentIds.length === 0) return [];
    const rows = statement(
      this.db,
      `SELECT s.endpoint, s.agent_id AS agentId, s.p256dh, s.auth, s.lang FROM push_subscriptions s
         JOIN agents a ON a.id = s.agent_id AND a.active = 1
         WHERE s.agent_id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(agentIds)) as StoredSubscription[];
    return rows;
  }
}
