import { SYNC_ENTITIES, type SyncEntity } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';

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
 * The change log. Every write to synced data calls `record` inside its transaction, so the
 * log and the data commit together. Listeners are poked once the synchronous transaction
 * has finished (a microtask later), with the newest sequence number.
 */
export class ChangeFeed {
  private readonly insert;
  private readonly latest;
  private readonly listeners = new Set<PokeListener>();
  private pokeScheduled = false;

  constructor(private readonly db: Db) {
    this.insert = statement(db, 'INSERT INTO change_log (entity, entity_id, op, data, created_at, audience) VALUES (?, ?, ?, ?, ?, ?)');
    this.latest = statement(db, 'SELECT COALESCE(MAX(seq), 0) AS seq FROM change_log');
  }

  /**
   * Appends a change. `data` is the entity's full public shape (the client replaces its copy).
   * `audience` limits the row to one agent (e.g. that agent's read marks).
   */
  record(entity: SyncEntity, id: string, op: 'put' | 'delete', data: unknown, audience: string | null = null): number {
    const payload = op === 'delete' ? null : JSON.stringify(redactSecrets(data));
    const info = this.insert.run(entity, id, op, payload, new Date().toISOString(), audience);
    this.schedulePoke();
    return Number(info.lastInsertRowid);
  }

  latestSeq(): number {
    return (this.latest.get() as { seq: number }).seq;
  }

  onPoke(listener: PokeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private schedulePoke(): void {
    if (this.pokeScheduled) return;
    this.pokeScheduled = true;
    queueMicrotask(() => {
      this.pokeScheduled = false;
      // Closed right after the write (shutdown): nobody is listening any more.
      if (!this.db.open) return;
      if (this.db.inTransaction) {
        // Still inside a transaction (one driven by hand across awaits): look again later.
        setImmediate(() => this.schedulePoke());
        return;
      }
      const cursor = this.latestSeq();
      for (const listener of this.listeners) listener(cursor);
    });
  }
}
