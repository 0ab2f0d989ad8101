import { sql } from 'kysely';
import { type Intent, type IntentDesk, type IntentInput, type IntentPatch, intentDeskOf, timeOrderedId } from '@desk/core';
import type { Db } from '../db/database.ts';
import { caseless } from '../db/dialect-sql.ts';
import { prepared } from '../db/prepared.ts';
import type { Clock } from '../shared/clock.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';

interface IntentRow {
  id: string;
  name: string;
  phrases: string;
  answers: string;
  desk: string;
  created_at: string;
  updated_at: string;
}

function fromRow(row: IntentRow): Intent {
  return {
    id: row.id,
    name: row.name,
    phrases: JSON.parse(row.phrases) as string[],
    answers: JSON.parse(row.answers) as string[],
    desk: intentDeskOf(JSON.parse(row.desk) as IntentDesk),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Intents kept in memory at most (far more than any workspace has). */
const MAX_KNOWN = 10_000;

const intentById = prepared((q, p: { id: string }) => q.selectFrom('intents').selectAll().where('id', '=', p.id));

/**
 * The intents. The engine looks one up for every answer the bot gives, so `get` keeps what it read
 * in memory: forgotten when this repository writes an intent, and when another instance or thread
 * announces a change (`forget`, called on the `intents` settings poke, see services.ts).
 */
export class IntentsRepo {
  private readonly known = new Map<string, Intent | null>();
  /** Counts `forget` calls: a reading that a forget overtook is not kept. */
  private forgets = 0;
  /** Writes not known to be committed (one in flight, or one whose transaction rolled back): no memory. */
  private uncommitted = false;

  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<Intent[]> {
    const rows = await this.db.q.selectFrom('intents').selectAll().orderBy(caseless(this.db.dialect, sql.ref('name'))).execute();
    return rows.map(fromRow);
  }

  /** The intent as stored (shared with other callers: don't change it), or null. */
  async get(id: string): Promise<Intent | null> {
    if (this.uncommitted) return this.read(id);
    if (this.known.has(id)) return this.known.get(id) ?? null;
    const forgotten = this.forgets;
    const intent = await this.read(id);
    // A write or a poke in between may have made this reading stale: then it is not kept.
    if (forgotten === this.forgets && !this.uncommitted) {
      if (this.known.size >= MAX_KNOWN) this.known.clear();
      this.known.set(id, intent);
    }
    return intent;
  }

  /** Another instance or thread changed the intents: read them again when next needed. */
  forget(): void {
    this.forgets += 1;
    this.known.clear();
  }

  private async read(id: string): Promise<Intent | null> {
    const row = await intentById.first(this.db, { id });
    return row ? fromRow(row) : null;
  }

  /** Before a write: nothing is kept until it has committed. */
  private writing(): void {
    this.forget();
    this.uncommitted = true;
    this.db.afterCommit(() => {
      this.uncommitted = false;
      this.forget();
    });
  }

  /** An intent's hand-off settings alone: the engine checks them for every message the bot reads. */
  async deskOf(id: string): Promise<IntentDesk | null> {
    const row = await this.db.q.selectFrom('intents').select('desk').where('id', '=', id).executeTakeFirst();
    return row ? (JSON.parse(row.desk) as IntentDesk) : null;
  }

  /** Names compare case-insensitively (SQLite: the column's NOCASE; PostgreSQL: lower()). */
  async nameTaken(name: string, exceptId?: string): Promise<boolean> {
    const row = await this.db.q.selectFrom('intents').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
    return row !== undefined && row.id !== exceptId;
  }

  create(input: IntentInput): Promise<Intent> {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    return this.db.transaction(async (q) => {
      this.writing();
      const now = this.clock();
      const id = timeOrderedId();
      await q
        .insertInto('intents')
        .values({
          id,
          name: input.name,
          phrases: JSON.stringify(input.phrases),
          answers: JSON.stringify(input.answers),
          desk: JSON.stringify(input.desk),
          created_at: now,
          updated_at: now,
        })
        .execute();
      return this.recorded(id);
    });
  }

  update(id: string, patch: IntentPatch): Promise<Intent> {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    return this.db.transaction(async (q) => {
      this.writing();
      const current = (await this.get(id)) as Intent;
      const desk: IntentDesk = { ...current.desk, ...patch.desk };
      await q
        .updateTable('intents')
        .set({
          name: patch.name ?? current.name,
          phrases: JSON.stringify(patch.phrases ?? current.phrases),
          answers: JSON.stringify(patch.answers ?? current.answers),
          desk: JSON.stringify(desk),
          updated_at: this.clock(),
        })
        .where('id', '=', id)
        .execute();
      return this.recorded(id);
    });
  }

  /** Tickets keep their history: their intent link is cleared by the foreign key. */
  async delete(id: string): Promise<void> {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    await this.db.transaction(async (q) => {
      this.writing();
      await q.deleteFrom('intents').where('id', '=', id).execute();
      await this.changes.record('intent', id, 'delete', null);
    });
  }

  private async recorded(id: string): Promise<Intent> {
    const intent = (await this.get(id)) as Intent;
    await this.changes.record('intent', id, 'put', intent);
    return intent;
  }
}
