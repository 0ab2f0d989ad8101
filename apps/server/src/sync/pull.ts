import { type Agent, can, DeskError, ErrorCode, type Permission, type PullResponse, type SyncChange, type SyncEntity } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import { SYNC_ENTITIES } from './change-feed.ts';
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

/** The highest sequence number ever issued (kept by AUTOINCREMENT even when rows are compacted). */
export function logHead(db: Db): number {
  const row = statement(db, "SELECT seq FROM sqlite_sequence WHERE name = 'change_log'").get() as { seq: number } | undefined;
  return row?.seq ?? 0;
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
  private readonly epoch: string;

  constructor(private readonly db: Db) {
    this.epoch = syncEpoch(db);
  }

  currentEpoch(): string {
    const row = statement(this.db, "SELECT value FROM settings WHERE key = 'sync_epoch'").get() as { value: string } | undefined;
    return row?.value ?? this.epoch;
  }

  /** Throws `reset_required` when the client's history is not this server's. */
  checkEpoch(clientEpoch: string | undefined): void {
    if (clientEpoch !== undefined && clientEpoch !== '' && clientEpoch !== this.currentEpoch()) {
      throw resetRequired('The server was restored or replaced: download everything again.');
    }
  }

  pull(agent: Agent, input: PullInput): PullResponse {
    const entities = SYNC_ENTITIES.filter((entity) => can(agent.role, ENTITY_PERMISSION[entity]));
    const placeholders = entities.map(() => '?').join(', ');
    return this.db.transaction((): PullResponse => {
      const epoch = this.currentEpoch();
      const head = logHead(this.db);
      if (input.cursor > 0) {
        this.checkEpoch(input.epoch);
        if (input.cursor < syncHorizon(this.db)) throw resetRequired('Your copy is too old for the change log: download everything again.');
        if (input.cursor > head) throw resetRequired('The server is behind your copy (restored from a backup?): download everything again.');
      }
      const rows = statement(
        this.db,
        `SELECT seq, entity, entity_id, op, data FROM change_log c
           WHERE seq > ? AND entity IN (${placeholders}) AND (audience IS NULL OR audience = ?)
             AND NOT EXISTS (SELECT 1 FROM change_log d WHERE d.entity = c.entity AND d.entity_id = c.entity_id AND d.seq > c.seq)
           ORDER BY seq LIMIT ?`,
      ).all(input.cursor, ...entities, agent.id, input.limit + 1) as LogRow[];
      const hasMore = rows.length > input.limit;
      if (hasMore) rows.pop();
      const changes: SyncChange[] = rows.map((row) => ({
        seq: row.seq,
        entity: row.entity,
        id: row.entity_id,
        op: row.op,
        data: row.data === null ? null : JSON.parse(row.data),
      }));
      const cursor = hasMore ? (rows.at(-1)?.seq ?? input.cursor) : Math.max(head, input.cursor);
      const lastMutationIds: Record<string, number> = {};
      const clients = statement(this.db, 'SELECT client_id, last_mutation_id FROM sync_clients WHERE agent_id = ?').all(agent.id) as {
        client_id: string;
        last_mutation_id: number;
      }[];
      for (const client of clients) lastMutationIds[client.client_id] = client.last_mutation_id;
      return { cursor, changes, lastMutationIds, hasMore, epoch };
    })();
  }
}
