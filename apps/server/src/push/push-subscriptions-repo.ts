import type { PushSubscriptionInput } from '@desk/core';
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';

/** Whether any device at all is subscribed (compiled once: every hand-off batch asks). */
const anySubscription = prepared((q, _: Record<string, never>) => q.selectFrom('push_subscriptions').select('endpoint').limit(1));

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
  async save(agentId: string, input: PushSubscriptionInput, cap: number): Promise<boolean> {
    return this.db.transaction(async (q) => {
      const current = await q.selectFrom('push_subscriptions').select(['agent_id', 'p256dh', 'auth']).where('endpoint', '=', input.endpoint).executeTakeFirst();
      if (current && current.agent_id !== agentId && (current.p256dh !== input.keys.p256dh || current.auth !== input.keys.auth)) return false;
      await q
        .insertInto('push_subscriptions')
        .values({ endpoint: input.endpoint, agent_id: agentId, p256dh: input.keys.p256dh, auth: input.keys.auth, lang: input.lang, created_at: new Date().toISOString() })
        .onConflict((oc) =>
          oc.column('endpoint').doUpdateSet((eb) => ({
            agent_id: eb.ref('excluded.agent_id'),
            p256dh: eb.ref('excluded.p256dh'),
            auth: eb.ref('excluded.auth'),
            lang: eb.ref('excluded.lang'),
          })),
        )
        .execute();
      const keep = await q
        .selectFrom('push_subscriptions')
        .select('endpoint')
        .where('agent_id', '=', agentId)
        .orderBy('created_at', 'desc')
        .orderBy('rowid', 'desc')
        .limit(cap)
        .execute();
      await q
        .deleteFrom('push_subscriptions')
        .where('agent_id', '=', agentId)
        .where('endpoint', 'not in', keep.map((k) => k.endpoint))
        .execute();
      return true;
    });
  }

  async countOf(agentId: string): Promise<number> {
    const row = await this.db.q.selectFrom('push_subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).where('agent_id', '=', agentId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async remove(endpoint: string, agentId?: string): Promise<void> {
    let del = this.db.q.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint);
    if (agentId) del = del.where('agent_id', '=', agentId);
    await del.execute();
  }

  /** Whether any agent has a device subscribed (one row of the primary key's index at most). */
  async any(): Promise<boolean> {
    return (await anySubscription.first(this.db, {})) !== undefined;
  }

  /** Subscriptions of the given active agents. */
  async forAgents(agentIds: readonly string[]): Promise<StoredSubscription[]> {
    if (agentIds.length === 0) return [];
    const rows = await this.db.q
      .selectFrom('push_subscriptions as s')
      .innerJoin('agents as a', 'a.id', 's.agent_id')
      .select(['s.endpoint', 's.agent_id as agentId', 's.p256dh', 's.auth', 's.lang'])
      .where('a.active', '=', 1)
      .where('s.agent_id', 'in', [...agentIds])
      .execute();
    return rows as StoredSubscription[];
  }
}
