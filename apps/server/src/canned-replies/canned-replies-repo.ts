import type { CannedReply } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';

interface CannedReplyRow {
  id: string;
  owner_id: string | null;
  shortcut: string;
  title: string;
  texts: string;
  updated_at: string;
}

function fromRow(row: CannedReplyRow): CannedReply {
  return { id: row.id, ownerId: row.owner_id, shortcut: row.shortcut, title: row.title, texts: JSON.parse(row.texts) as CannedReply['texts'], updatedAt: row.updated_at };
}

/**
 * Canned replies. Shared ones reach every agent; a personal one is recorded with its owner as the
 * change log's audience, so only that agent's devices receive it.
 */
export class CannedRepliesRepo {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
  ) {}

  get(id: string): CannedReply | null {
    const row = statement(this.db, 'SELECT * FROM canned_replies WHERE id = ?').get(id) as CannedReplyRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Inside the caller's transaction. */
  save(reply: CannedReply): void {
    statement(
      this.db,
      `INSERT INTO canned_replies (id, owner_id, shortcut, title, texts, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET shortcut = excluded.shortcut, title = excluded.title, texts = excluded.texts, updated_at = excluded.updated_at`,
    ).run(reply.id, reply.ownerId, reply.shortcut, reply.title, JSON.stringify(reply.texts), reply.updatedAt);
    this.changes.record('cannedReply', reply.id, 'put', reply, reply.ownerId);
  }

  /** Inside the caller's transaction; deleting one that is gone already does nothing. */
  delete(reply: CannedReply): void {
    statement(this.db, 'DELETE FROM canned_replies WHERE id = ?').run(reply.id);
    this.changes.record('cannedReply', reply.id, 'delete', null, reply.ownerId);
  }
}
