import { sql } from 'kysely';
import { type Agent, can, DeskError, ErrorCode, type Permission, type PullResponse, type SyncChange, type SyncEntity } from '@desk/core';
import type { Db } from '../db/database.ts';
import { logHead, SYNC_ENTITIES } from './change-feed.ts';
import { syncEpoch, syncHorizon } from './sync-state.ts';

/** What an agent must be allowed to do to receive each entity. */
export const ENTITY_PERMISSION: Record<SyncEntity, Permission> = {
  ticket: 'tickets.work',
  message: 'tickets.work',
  ticketRead: 'tickets.work',
  contact: 'contacts.read',
  agent: 'agents.read',
  intent: 'intents.read',
  integration: 'tickets.work',
  cannedReply: 'tickets.work',
};

export interface PullInput {
  cursor: number;
  limit: number;
  /** The epoch the client last saw; undefined skips the check (first contact). */
  epoch: string | undefined;
}

interface LogRow {
  seq: number;
  entity: SyncEntity;
  entity_id: string;
  op: 'put' | 'delete';
  data: string | null;
}

export function resetRequired(message: string): DeskError {
  return new DeskError(ErrorCode.resetRequired, message);
}

/**
 * Reads the change log for one agent. Only the latest row of each (entity, id) after the
 * cursor is served, in `seq` order, so `cursor=0` is the whole visible data set (the
 * bootstrap) and any later cursor is "what changed since", both compacted the same way.
 * Pages stay gap-free: an entity changed between two pages moves to a later `seq` and is
 * served then. The answer's `cursor` is the last `seq` examined (or the log's head on the
 * last page), so rows the agent may not see never stall the client.
 */
export class SyncPull {
  constructor(private readonly db: Db) {}

  async currentEpoch(): Promise<string> {
    return syncEpoch(this.db);
  }

  /** Throws `reset_required` when the client's history is not this server's. */
  async checkEpoch(clientEpoch: string | undefined): Promise<void> {
    if (clientEpoch !== undefined && clientEpoch !== '' && clientEpoch !== (await this.currentEpoch())) {
      throw resetRequired('The server was restored or replaced: download everything again.');
    }
  }

  /** One read transaction, so the head, the rows and the mutation ids are one consistent picture. */
  pull(agent: Agent, input: PullInput): Promise<PullResponse> {
    const entities = SYNC_ENTITIES.filter((entity) => can(agent.role, ENTITY_PERMISSION[entity]));
    return this.db.transaction(async (q): Promise<PullResponse> => {
      const epoch = await this.currentEpoch();
      const head = await logHead(this.db);
      if (input.cursor > 0) {
        await this.checkEpoch(input.epoch);
        if (input.cursor < (await syncHorizon(this.db))) throw resetRequired('Your copy is too old for the change log: download everything again.');
        if (input.cursor > head) throw resetRequired('The server is behind your copy (restored from a backup?): download everything again.');
      }
      // Only up to the head read above: on PostgreSQL a row committed after it waits for the next pull.
      const rows: LogRow[] = await q
        .selectFrom('change_log as c')
        .select(['c.seq', 'c.entity', 'c.entity_id', 'c.op', 'c.data'])
        .where('c.seq', '>', input.cursor)
        .where('c.seq', '<=', head)
        .where('c.entity', 'in', entities)
        .where((eb) => eb.or([eb('c.audience', 'is', null), eb('c.audience', '=', agent.id)]))
        .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM change_log d WHERE d.entity = c.entity AND d.entity_id = c.entity_id AND d.seq > c.seq)`)
        .orderBy('c.seq')
        .limit(input.limit + 1)
        .execute() as LogRow[];
      const hasMore = rows.length > input.limit;
      if (hasMore) rows.pop();
      const changes: SyncChange[] = rows.map((row) => ({
        seq: Number(row.seq),
        entity: row.entity,
        id: row.entity_id,
        op: row.op,
        data: row.data === null ? null : JSON.parse(row.data),
      }));
      const cursor = hasMore ? Number(rows.at(-1)?.seq ?? input.cursor) : Math.max(head, input.cursor);
      const lastMutationIds: Record<string, number> = {};
      const clients = await q.selectFrom('sync_clients').select(['client_id', 'last_mutation_id']).where('agent_id', '=', agent.id).execute();
      for (const client of clients) lastMutationIds[client.client_id] = Number(client.last_mutation_id);
      return { cursor, changes, lastMutationIds, hasMore, epoch };
    }, { lock: false });
  }
}
