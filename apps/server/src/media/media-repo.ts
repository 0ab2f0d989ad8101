import type { Db } from '../db/database.ts';

export interface MediaRecord {
  id: string;
  conversationId: string;
  mimeType: string;
  size: number;
  name: string;
  createdAt: string;
}

interface MediaRow {
  id: string;
  conversation_id: string;
  mime_type: string;
  size: number;
  name: string;
  created_at: string;
}

/** Metadata of the files users sent; the bytes live in the media store. */
export class MediaRepo {
  constructor(private readonly db: Db) {}

  async insert(media: MediaRecord): Promise<void> {
    await this.db.q
      .insertInto('media')
      .values({ id: media.id, conversation_id: media.conversationId, mime_type: media.mimeType, size: media.size, name: media.name, created_at: media.createdAt })
      .execute();
  }

  async get(id: string): Promise<MediaRecord | null> {
    const row: MediaRow | undefined = await this.db.q.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
    return row
      ? { id: row.id, conversationId: row.conversation_id, mimeType: row.mime_type, size: Number(row.size), name: row.name, createdAt: row.created_at }
      : null;
  }
}
