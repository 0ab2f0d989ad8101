import { SYNC_ENTITIES, type SyncEntity } from '@desk/core';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';

export { SYNC_ENTITIES, type SyncEntity };

type PokeListener = (cursor: number) => void;

/** Keys that never enter the log, at any depth: credentials stay in their own tables. */
const SECRET_KEY = /password|secret|token|api_?key|private_?key|(^|_)hash$|Hash$|^auth$/i;

/** A copy of `data` without secret-looking keys (defence in depth: repositories pass public shapes). */
export function redactSecrets(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(redactSecrets);
  if (data === null || typeof data !== 'object') return data;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!SECRET_KEY.test(key)) out[key] = redactSecrets(value);
  }
  return out;
}

/**
 * The highest sequence number a reader may take as its cursor. SQLite: the AUTOINCREMENT counter
 * (kept even when rows are compacted). PostgreSQL: the newest committed row, which compaction never
 * removes; writers are serialised (see `Database.transaction` and sync/CONTEXT.md), so no row with
 * a lower number can commit after it.
 */
export async function logHead(db: Db): Promise<number> {
  switch (db.dialect) {
    case 'sqlite': {
      const { rows } = await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = 'change_log'`.execute(db.q);
      return rows[0]?.seq ?? 0;
    }
    case 'postgres': {
      const row = await db.q.selectFrom('change_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
      return Number(row?.seq ?? 0);
    }
    default:
      throw new Error(`Unknown dialect: ${String(db.dialect satisfies never)}`);
  }
}

const appendChange = prepared((q, row: { entity: SyncEntity; entity_id: string; op: 'put' | 'delete'; data: string | null; created_at: string; audience: string | null }) =>
  q.insertInto('change_log').values({ entity: row.entity, entity_id: row.entity_id, op: row.op, data: row.data, created_at: row.created_at, audience: row.audience }).returning('seq'),
);

/**
 * The change log. Every write to synced data calls `record` inside its transaction, so the
 * log and the data commit together. Listeners are poked once that transaction has committed,
 * with the newest sequence number.
 */
export class ChangeFeed {
  private readonly listeners = new Set<PokeListener>();
  private pokeScheduled = false;

  constructor(private readonly db: Db) {}

  /**
   * Appends a change. `data` is the entity's full public shape (the client replaces its copy).
   * `audience` limits the row to one agent (e.g. that agent's read marks).
   */
  async record(entity: SyncEntity, id: string, op: 'put' | 'delete', data: unknown, audience: string | null = null): Promise<number> {
    const payload = op === 'delete' ? null : JSON.stringify(redactSecrets(data));
    const insert = async () => {
      await this.db.serialiseLogWriters();
      const appended = await appendChange.first(this.db, { entity, entity_id: id, op, data: payload, created_at: new Date().toISOString(), audience });
      if (!appended) throw new Error('The change log answered no sequence number.');
      return appended;
    };
    // A writer outside a transaction still takes the writers' turn (PostgreSQL): see sync/CONTEXT.md.
    const row = this.db.inTransaction ? await insert() : await this.db.transaction(insert);
    this.db.afterCommit(() => this.schedulePoke());
    return Number(row.seq);
  }

  latestSeq(): Promise<number> {
    return logHead(this.db);
  }

  onPoke(listener: PokeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners about `cursor` (a commit on this instance or, through the fan-out, on another). */
  poke(cursor: number): void {
    for (const listener of this.listeners) listener(cursor);
  }

  private schedulePoke(): void {
    if (this.pokeScheduled) return;
    this.pokeScheduled = true;
    queueMicrotask(() => {
      this.pokeScheduled = false;
      // Closed right after the write (shutdown): nobody is listening any more.
      if (!this.db.isOpen) return;
      this.latestSeq().then(
        (cursor) => this.poke(cursor),
        (err) => {
          if (this.db.isOpen) console.error('[desk] reading the change log head failed', err);
        },
      );
    });
  }
}
