import { z } from 'zod';
import { type Agent, can, DeskError, ErrorCode, exhaustiveSwitchError, type SnapshotQuery, type SnapshotResponse, type SyncChange, type SyncEntity } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import { ENTITY_PERMISSION, logHead, type SyncPull } from './pull.ts';

interface LogRow {
  seq: number;
  entity: SyncEntity;
  entity_id: string;
  data: string;
  at?: string;
}

const OTHER_ENTITIES: readonly SyncEntity[] = ['contact', 'agent', 'intent', 'integration', 'ticketRead', 'cannedReply'];
/** The latest row of its entity, still present, visible to the agent. */
const LATEST = `op = 'put' AND (audience IS NULL OR audience = @agent)
  AND NOT EXISTS (SELECT 1 FROM change_log d WHERE d.entity = c.entity AND d.entity_id = c.entity_id AND d.seq > c.seq)`;

/**
 * A new device's first download, read from the change log like a bootstrap pull (same rows, same
 * permission filter) but in the order the agent needs them: tickets newest-updated first (the
 * default list is on screen after the first page), then the small entities, then messages newest
 * first while the agent already works. The device then follows the log from the first page's head,
 * so whatever changed meanwhile arrives through the ordinary pull.
 */
export class SyncSnapshot {
  constructor(
    private readonly db: Db,
    private readonly pull: SyncPull,
  ) {}

  read(agent: Agent, query: SnapshotQuery): SnapshotResponse {
    const allowed = (entity: SyncEntity) => can(agent.role, ENTITY_PERMISSION[entity]);
    return this.db.transaction((): SnapshotResponse => {
      const head = logHead(this.db);
      const epoch = this.pull.currentEpoch();
      const empty: SnapshotResponse = { changes: [], next: null, head, epoch };
      switch (query.part) {
        case 'ticket': {
          if (!allowed('ticket')) return empty;
          if (query.ticketId) {
            // One ticket a device dropped (or never had), opened or found by a search.
            const rows = statement(this.db, `SELECT seq, entity, entity_id, data FROM change_log c WHERE entity = 'ticket' AND entity_id = @id AND ${LATEST}`).all({
              agent: agent.id,
              id: query.ticketId,
            }) as LogRow[];
            return { changes: rows.map(toChange), next: null, head, epoch };
          }
          const [at, id] = query.after ? ticketPosition(query.after) : [null, null];
          // Newest-updated first, keyset-paged on (updatedAt, id).
          const rows = statement(
            this.db,
            `SELECT seq, entity, entity_id, data, json_extract(data, '$.updatedAt') AS at FROM change_log c
               WHERE entity = 'ticket' AND ${LATEST}
                 AND (@at IS NULL OR json_extract(data, '$.updatedAt') < @at OR (json_extract(data, '$.updatedAt') = @at AND entity_id < @id))
               ORDER BY at DESC, entity_id DESC LIMIT @limit`,
          ).all({ agent: agent.id, at, id, limit: query.limit + 1 }) as LogRow[];
          const more = rows.length > query.limit;
          if (more) rows.pop();
          const last = rows.at(-1);
          return { changes: rows.map(toChange), next: more && last ? JSON.stringify([last.at, last.entity_id]) : null, head, epoch };
        }
        case 'other': {
          const entities = OTHER_ENTITIES.filter(allowed);
          if (entities.length === 0) return empty;
          const rows = statement(
            this.db,
            `SELECT seq, entity, entity_id, data FROM change_log c
               WHERE entity IN (${entities.map((e) => `'${e}'`).join(', ')}) AND ${LATEST} AND seq > @after
               ORDER BY seq LIMIT @limit`,
          ).all({ agent: agent.id, after: Number(query.after ?? 0), limit: query.limit + 1 }) as LogRow[];
          const more = rows.length > query.limit;
          if (more) rows.pop();
          return { changes: rows.map(toChange), next: more ? String(rows.at(-1)?.seq ?? 0) : null, head, epoch };
        }
        case 'message': {
          if (!allowed('message')) return empty;
          if (query.ticketId) {
            const ids = (statement(this.db, 'SELECT id FROM messages WHERE ticket_id = @id UNION ALL SELECT id FROM notes WHERE ticket_id = @id').all({ id: query.ticketId }) as { id: string }[]).map((m) => m.id);
            if (ids.length === 0) return empty;
            const rows = statement(
              this.db,
              `SELECT seq, entity, entity_id, data FROM change_log c
                 WHERE entity = 'message' AND entity_id IN (SELECT value FROM json_each(@ids)) AND ${LATEST} ORDER BY seq`,
            ).all({ agent: agent.id, ids: JSON.stringify(ids) }) as LogRow[];
            return { changes: rows.map(toChange), next: null, head, epoch };
          }
          // Newest first: walk the log backwards (`+entity` keeps SQLite on the seq order instead of the entity index).
          const rows = statement(
            this.db,
            `SELECT seq, entity, entity_id, data FROM change_log c
               WHERE +entity = 'message' AND ${LATEST} AND seq < @before
               ORDER BY seq DESC LIMIT @limit`,
          ).all({ agent: agent.id, before: query.after ? Number(query.after) : Number.MAX_SAFE_INTEGER, limit: query.limit + 1 }) as LogRow[];
          const more = rows.length > query.limit;
          if (more) rows.pop();
          return { changes: rows.map(toChange), next: more ? String(rows.at(-1)?.seq ?? 0) : null, head, epoch };
        }
        default:
          return exhaustiveSwitchError(query.part, 'snapshot part');
      }
    })();
  }
}

const TicketPosition = z.tuple([z.string(), z.string()]);
function ticketPosition(after: string): [string, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(after);
  } catch {
    parsed = null;
  }
  const position = TicketPosition.safeParse(parsed);
  if (!position.success) throw new DeskError(ErrorCode.invalidInput, 'This snapshot position is not one the server gave.', { fields: { after: 'Pass back `next`.' } });
  return position.data;
}

function toChange(row: LogRow): SyncChange {
  return { seq: row.seq, entity: row.entity, id: row.entity_id, op: 'put', data: JSON.parse(row.data) };
}
