import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';

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

  insert(media: MediaRecord): void {
    statement(
      this.db,
      'INSERT INTO media (id, conversation_id, mime_type, size, name, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(media.id, media.conversationId, media.mimeType, media.size, media.name, media.createdAt);
  }

  get(id: string): MediaRecord | null {
    const row = statement(this.db, 'SELECT * FROM media WHERE id = ?').get(id) as MediaRow | undefined;
    return row
      ? { id: row.id, conversationId: row.conversation_id, mimeType: row.mime_type, size: row.size, name: row.name, createdAt: row.created_at }
      : null;
  }
}
