import { sql } from 'kysely';
import { z } from 'zod';
import { type Agent, can, DeskError, ErrorCode, exhaustiveSwitchError, type SnapshotQuery, type SnapshotResponse, type SyncChange, type SyncEntity } from '@desk/core';
import type { Db } from '../db/database.ts';
import { jsonText } from '../db/dialect-sql.ts';
import { logHead } from './change-feed.ts';
import { ENTITY_PERMISSION, type SyncPull } from './pull.ts';

interface LogRow {
  seq: number;
  entity: string;
  entity_id: string;
  data: string | null;
  at?: string | null;
}

const OTHER_ENTITIES: readonly SyncEntity[] = ['contact', 'agent', 'intent', 'integration', 'ticketRead', 'cannedReply'];

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

  /** The latest row of its entity, still present, visible to the agent, at or below the head. */
  private latest(agent: Agent, head: number) {
    return this.db.q
      .selectFrom('change_log as c')
      .select(['c.seq', 'c.entity', 'c.entity_id', 'c.data'])
      .where('c.op', '=', 'put')
      .where('c.seq', '<=', head)
      .where((eb) => eb.or([eb('c.audience', 'is', null), eb('c.audience', '=', agent.id)]))
      .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM change_log d WHERE d.entity = c.entity AND d.entity_id = c.entity_id AND d.seq > c.seq)`);
  }

  read(agent: Agent, query: SnapshotQuery): Promise<SnapshotResponse> {
    const allowed = (entity: SyncEntity) => can(agent.role, ENTITY_PERMISSION[entity]);
    return this.db.transaction(async (q): Promise<SnapshotResponse> => {
      const head = await logHead(this.db);
      const epoch = await this.pull.currentEpoch();
      const empty: SnapshotResponse = { changes: [], next: null, head, epoch };
      switch (query.part) {
        case 'ticket': {
          if (!allowed('ticket')) return empty;
          if (query.ticketId) {
            // One ticket a device dropped (or never had), opened or found by a search.
            const rows = await this.latest(agent, head).where('c.entity', '=', 'ticket').where('c.entity_id', '=', query.ticketId).execute();
            return { changes: rows.map(toChange), next: null, head, epoch };
          }
          const [at, id] = query.after ? ticketPosition(query.after) : [null, null];
          const updatedAt = jsonText(this.db.dialect, sql.ref('c.data'), 'updatedAt');
          // Newest-updated first, keyset-paged on (updatedAt, id).
          let select = this.latest(agent, head).select(updatedAt.as('at')).where('c.entity', '=', 'ticket');
          if (at !== null && id !== null) {
            select = select.where((eb) => eb.or([eb(updatedAt, '<', at), eb.and([eb(updatedAt, '=', at), eb('c.entity_id', '<', id)])]));
          }
          const rows: LogRow[] = await select.orderBy('at', 'desc').orderBy('c.entity_id', 'desc').limit(query.limit + 1).execute();
          const more = rows.length > query.limit;
          if (more) rows.pop();
          const last = rows.at(-1);
          return { changes: rows.map(toChange), next: more && last ? JSON.stringify([last.at, last.entity_id]) : null, head, epoch };
        }
        case 'other': {
          const entities = OTHER_ENTITIES.filter(allowed);
          if (entities.length === 0) return empty;
          const rows = await this.latest(agent, head)
            .where('c.entity', 'in', entities)
            .where('c.seq', '>', Number(query.after ?? 0))
            .orderBy('c.seq')
            .limit(query.limit + 1)
            .execute();
          const more = rows.length > query.limit;
          if (more) rows.pop();
          return { changes: rows.map(toChange), next: more ? String(rows.at(-1)?.seq ?? 0) : null, head, epoch };
        }
        case 'message': {
          if (!allowed('message')) return empty;
          if (query.ticketId) {
            const ids = [
              ...(await q.selectFrom('messages').select('id').where('ticket_id', '=', query.ticketId).execute()),
              ...(await q.selectFrom('notes').select('id').where('ticket_id', '=', query.ticketId).execute()),
            ].map((m) => m.id);
            if (ids.length === 0) return empty;
            const rows = await this.latest(agent, head).where('c.entity', '=', 'message').where('c.entity_id', 'in', ids).orderBy('c.seq').execute();
            return { changes: rows.map(toChange), next: null, head, epoch };
          }
          // Newest first: walk the log backwards (on SQLite `+entity` keeps the planner on the seq order, not the entity index).
          const entity = this.db.dialect === 'sqlite' ? sql<string>`+c.entity` : sql<string>`c.entity`;
          const rows = await this.latest(agent, head)
            .where(entity, '=', 'message')
            .where('c.seq', '<', query.after ? Number(query.after) : Number.MAX_SAFE_INTEGER)
            .orderBy('c.seq', 'desc')
            .limit(query.limit + 1)
            .execute();
          const more = rows.length > query.limit;
          if (more) rows.pop();
          return { changes: rows.map(toChange), next: more ? String(rows.at(-1)?.seq ?? 0) : null, head, epoch };
        }
        default:
          return exhaustiveSwitchError(query.part, 'snapshot part');
      }
    }, { lock: false });
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
  return { seq: Number(row.seq), entity: row.entity as SyncEntity, id: row.entity_id, op: 'put', data: JSON.parse(row.data ?? 'null') };
}
