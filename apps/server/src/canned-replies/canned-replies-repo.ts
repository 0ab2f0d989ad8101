import type { CannedReply } from '@desk/core';
import type { Db } from '../db/database.ts';
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

  async get(id: string): Promise<CannedReply | null> {
    const row = await this.db.q.selectFrom('canned_replies').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  /** Inside the caller's transaction. */
  async save(reply: CannedReply): Promise<void> {
    await this.db.q
      .insertInto('canned_replies')
      .values({ id: reply.id, owner_id: reply.ownerId, shortcut: reply.shortcut, title: reply.title, texts: JSON.stringify(reply.texts), updated_at: reply.updatedAt })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          shortcut: eb.ref('excluded.shortcut'),
          title: eb.ref('excluded.title'),
          texts: eb.ref('excluded.texts'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    await this.changes.record('cannedReply', reply.id, 'put', reply, reply.ownerId);
  }

  /** Inside the caller's transaction; deleting one that is gone already does nothing. */
  async delete(reply: CannedReply): Promise<void> {
    await this.db.q.deleteFrom('canned_replies').where('id', '=', reply.id).execute();
    await this.changes.record('cannedReply', reply.id, 'delete', null, reply.ownerId);
  }
}
