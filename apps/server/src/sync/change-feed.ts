import type { Db } from '../db/database.ts';

export const SYNC_ENTITIES = ['ticket', 'message', 'contact', 'agent', 'intent', 'integration'] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

type PokeListener = (cursor: number) => void;

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
    this.insert = db.prepare(
      'INSERT INTO change_log (entity, entity_id, op, data, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.latest = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM change_log');
  }

  record(entity: SyncEntity, id: string, op: 'put' | 'delete', data: unknown): number {
    const info = this.insert.run(entity, id, op, op === 'delete' ? null : JSON.stringify(data), new Date().toISOString());
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
      if (this.db.inTransaction) {
        this.schedulePoke();
        return;
      }
      const cursor = this.latestSeq();
      for (const listener of this.listeners) listener(cursor);
    });
  }
}
