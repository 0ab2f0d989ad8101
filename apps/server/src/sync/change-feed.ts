import { SYNC_ENTITIES, type SyncEntity } from '@desk/core';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { preparedRows } from '../db/prepared.ts';
import { isoTime } from '../shared/clock.ts';

export { SYNC_ENTITIES, type SyncEntity };

/** A change as committed, kept in memory for the streams (`data`: the public shape, secrets removed). */
export interface CommittedChange {
  seq: number;
  entity: SyncEntity;
  id: string;
  op: 'put' | 'delete';
  data: unknown;
  audience: string | null;
}

/** A sync client whose last applied mutation id moved in a committed push. */
export interface AdvancedClient {
  agentId: string;
  clientId: string;
  lastMutationId: number;
}

/**
 * Everything this instance committed between two pokes, when it is the whole log after `from` up
 * to `to` (every `seq` in between is here): a stream whose client holds `from` can build its
 * carried page from it without reading the log (sync/carried-page.ts).
 */
export interface CommittedBatch {
  from: number;
  to: number;
  changes: CommittedChange[];
  clients: AdvancedClient[];
}

export type PokeListener = (cursor: number, batch?: CommittedBatch) => void;

/** Keys that never enter the log, at any depth: credentials stay in their own tables. */
const SECRET_KEY = /password|secret|token|api_?key|private_?key|(^|_)hash$|Hash$|^auth$/i;

/** Whether each key seen so far looks secret: the log's shapes use a few dozen keys, tested once each. */
const secretKeys = new Map<string, boolean>();
const MAX_KEYS_KEPT = 1_000;

function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key);
    // Keys from user data (a map of anything) could grow without bound: start again.
    if (secretKeys.size >= MAX_KEYS_KEPT) secretKeys.clear();
    secretKeys.set(key, secret);
  }
  return secret;
}

/** A copy of `data` without secret-looking keys (defence in depth: repositories pass public shapes). */
export function redactSecrets(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(redactSecrets);
  if (data === null || typeof data !== 'object') return data;
  const out: Record<string, unknown> = {};
  for (const key in data) {
    if (!Object.hasOwn(data, key) || isSecretKey(key)) continue;
    const value = (data as Record<string, unknown>)[key];
    out[key] = value === null || typeof value !== 'object' ? value : redactSecrets(value);
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

type ChangeRow = { entity: SyncEntity; entity_id: string; op: 'put' | 'delete'; data: string | null; created_at: string; audience: string | null };
const changeValues = (row: ChangeRow) => ({ entity: row.entity, entity_id: row.entity_id, op: row.op, data: row.data, created_at: row.created_at, audience: row.audience });
// A transaction's rows, several per statement. SQLite numbers one statement's rows one after the
// other (the writer is alone, and AUTOINCREMENT takes the next number for each row in turn): the
// last one's is the insert's rowid. PostgreSQL answers them through RETURNING; its sequence gives a
// statement's rows ascending numbers in the order of their VALUES.
const appendOnSqlite = preparedRows((q, rows: ChangeRow[]) => q.insertInto('change_log').values(rows.map(changeValues)));
const appendOnPostgres = preparedRows((q, rows: ChangeRow[]) => q.insertInto('change_log').values(rows.map(changeValues)).returning('seq'));

/** A change recorded in a transaction, appended to the log right before its commit. */
interface PendingChange {
  row: ChangeRow;
  shape: unknown;
}

/**
 * The change log. Every write to synced data calls `record` inside its transaction, so the
 * log and the data commit together. Listeners are poked once that transaction has committed,
 * with the newest sequence number.
 */
export class ChangeFeed {
  private readonly listeners = new Set<PokeListener>();
  private pokeScheduled = false;
  private committed: CommittedChange[] = [];
  private advanced: AdvancedClient[] = [];

  constructor(private readonly db: Db) {}

  /**
   * Records a change. `data` is the entity's full public shape (the client replaces its copy).
   * `audience` limits the row to one agent (e.g. that agent's read marks). The row is appended
   * right before the transaction commits, with the transaction's other changes in the order they
   * were recorded (nothing reads the log inside a writing transaction); a savepoint that rolls
   * back takes its changes with it. Inside a transaction there is nothing to wait for (no promise:
   * an inbox batch records two changes per message); outside one, the promise of its own transaction.
   */
  record(entity: SyncEntity, id: string, op: 'put' | 'delete', data: unknown, audience: string | null = null): Promise<void> | undefined {
    const shape = op === 'delete' ? null : redactSecrets(data);
    const change: PendingChange = {
      row: { entity, entity_id: id, op, data: shape === null ? null : JSON.stringify(shape), created_at: isoTime(Date.now()), audience },
      shape,
    };
    if (this.db.inTransaction) {
      this.db.gather(this.append, change);
      return undefined;
    }
    // A writer outside a transaction still takes the writers' turn (PostgreSQL): see sync/CONTEXT.md.
    return this.db.transaction(() => this.db.beforeCommit(this.append, change));
  }

  /** Right before the commit: the transaction's changes, in the order recorded. */
  private readonly append = async (changes: PendingChange[]): Promise<void> => {
    await this.db.serialiseLogWriters();
    const rows = changes.map((change) => change.row);
    const seqs: number[] = [];
    if (this.db.dialect === 'sqlite') {
      for (const { count, result } of await appendOnSqlite.insert(this.db, rows)) {
        if (result.insertId === null) throw new Error('The change log answered no sequence number.');
        for (let i = count - 1; i >= 0; i -= 1) seqs.push(result.insertId - i);
      }
    } else {
      for (const { count, result } of await appendOnPostgres.insert(this.db, rows)) {
        if (result.rows.length !== count) throw new Error('The change log answered no sequence number.');
        seqs.push(...result.rows.map((row) => Number(row.seq)).sort((a, b) => a - b));
      }
    }
    const appended = changes.map(({ row, shape }, index): CommittedChange => ({
      seq: seqs[index] as number,
      entity: row.entity,
      id: row.entity_id,
      op: row.op,
      data: shape,
      audience: row.audience,
    }));
    this.db.afterCommit(() => {
      this.committed.push(...appended);
      this.schedulePoke();
    });
  };

  /** A push moved a client's last mutation id (call inside the push's transaction): carried pages confirm it. */
  clientAdvanced(client: AdvancedClient): void {
    this.db.afterCommit(() => this.advanced.push(client));
  }

  latestSeq(): Promise<number> {
    return logHead(this.db);
  }

  onPoke(listener: PokeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners about `cursor` (a commit on this instance or, through the fan-out, on another). */
  poke(cursor: number, batch?: CommittedBatch): void {
    for (const listener of this.listeners) listener(cursor, batch);
  }

  private schedulePoke(): void {
    if (this.pokeScheduled) return;
    this.pokeScheduled = true;
    queueMicrotask(() => {
      this.pokeScheduled = false;
      // Closed right after the write (shutdown): nobody is listening any more.
      if (!this.db.isOpen) return;
      const changes = this.committed.splice(0);
      const clients = this.advanced.splice(0);
      const batch = wholeBatch(changes, clients);
      // The whole log between two cursors: poke at once, with the batch (no read of the log's head).
      if (batch) return this.poke(batch.to, batch);
      this.latestSeq().then(
        (cursor) => this.poke(cursor),
        (err) => {
          if (this.db.isOpen) console.error('[desk] reading the change log head failed', err);
        },
      );
    });
  }
}

/**
 * The batch when its changes are every `seq` from the first to the last (SQLite's writers are one at
 * a time and a rollback gives its numbers back); a gap (another instance's rows, a PostgreSQL
 * sequence that skipped) means the streams read the log instead.
 */
function wholeBatch(changes: CommittedChange[], clients: AdvancedClient[]): CommittedBatch | null {
  if (changes.length === 0) return null;
  const seqs = changes.map((change) => change.seq).sort((a, b) => a - b);
  for (let i = 1; i < seqs.length; i++) if (seqs[i] !== (seqs[i - 1] as number) + 1) return null;
  const from = (seqs[0] as number) - 1;
  const to = seqs.at(-1) as number;
  return { from, to, changes: [...changes].sort((a, b) => a.seq - b.seq), clients };
}
