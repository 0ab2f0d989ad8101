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

  /**
   * Saves the agent's subscription, keeping at most `cap` per agent (the oldest go). Answers false,
   * changing nothing, when the endpoint is another agent's and the keys differ: knowing an endpoint
   * must not redirect its notifications. The same browser profile (same keys) may change hands:
   * whoever signs in on it last receives its notifications.
   */
  save(agentId: string, input: PushSubscriptionInput, cap: number): boolean {
    const current = statement(this.db, 'SELECT agent_id, p256dh, auth FROM push_subscriptions WHERE endpoint = ?').get(input.endpoint) as
      | { agent_id: string; p256dh: string; auth: string }
      | undefined;
    if (current && current.agent_id !== agentId && (current.p256dh !== input.keys.p256dh || current.auth !== input.keys.auth)) return false;
    statement(
      this.db,
      `INSERT INTO push_subscriptions (endpoint, agent_id, p256dh, auth, lang, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (endpoint) DO UPDATE SET agent_id = excluded.agent_id, p256dh = excluded.p256dh, auth = excluded.auth, lang = excluded.lang`,
    ).run(input.endpoint, agentId, input.keys.p256dh, input.keys.auth, input.lang, new Date().toISOString());
    statement(
      this.db,
      `DELETE FROM push_subscriptions WHERE agent_id = ? AND endpoint NOT IN
         (SELECT endpoint FROM push_subscriptions WHERE agent_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
    ).run(agentId, agentId, cap);
    return true;
  }

  countOf(agentId: string): number {
    return (statement(this.db, 'SELECT COUNT(*) AS n FROM push_subscriptions WHERE agent_id = ?').get(agentId) as { n: number }).n;
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
