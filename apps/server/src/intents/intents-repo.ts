import { randomUUID } from 'node:crypto';
import { type Intent, type IntentDesk, type IntentInput, type IntentPatch, intentDeskOf } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
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

export class IntentsRepo {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  list(): Intent[] {
    const rows = statement(this.db, 'SELECT * FROM intents ORDER BY name COLLATE NOCASE').all() as IntentRow[];
    return rows.map(fromRow);
  }

  get(id: string): Intent | null {
    const row = statement(this.db, 'SELECT * FROM intents WHERE id = ?').get(id) as IntentRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** An intent's hand-off settings alone: the engine checks them for every message the bot reads. */
  deskOf(id: string): IntentDesk | null {
    const row = statement(this.db, 'SELECT desk FROM intents WHERE id = ?').get(id) as { desk: string } | undefined;
    return row ? (JSON.parse(row.desk) as IntentDesk) : null;
  }

  nameTaken(name: string, exceptId?: string): boolean {
    const row = statement(this.db, 'SELECT id FROM intents WHERE name = ?').get(name) as { id: string } | undefined;
    return row !== undefined && row.id !== exceptId;
  }

  create(input: IntentInput): Intent {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    return this.db.transaction(() => {
      const now = this.clock();
      const id = randomUUID();
      statement(
        this.db,
        'INSERT INTO intents (id, name, phrases, answers, desk, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(id, input.name, JSON.stringify(input.phrases), JSON.stringify(input.answers), JSON.stringify(input.desk), now, now);
      return this.recorded(id);
    })();
  }

  update(id: string, patch: IntentPatch): Intent {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    return this.db.transaction(() => {
      const current = this.get(id) as Intent;
      const desk: IntentDesk = { ...current.desk, ...patch.desk };
      statement(this.db, 'UPDATE intents SET name = ?, phrases = ?, answers = ?, desk = ?, updated_at = ? WHERE id = ?').run(
        patch.name ?? current.name,
        JSON.stringify(patch.phrases ?? current.phrases),
        JSON.stringify(patch.answers ?? current.answers),
        JSON.stringify(desk),
        this.clock(),
        id,
      );
      return this.recorded(id);
    })();
  }

  /** Tickets keep their history: their intent link is cleared by the foreign key. */
  delete(id: string): void {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    this.db.transaction(() => {
      statement(this.db, 'DELETE FROM intents WHERE id = ?').run(id);
      this.changes.record('intent', id, 'delete', null);
    })();
  }

  private recorded(id: string): Intent {
    const intent = this.get(id) as Intent;
    this.changes.record('intent', id, 'put', intent);
    return intent;
  }
}
