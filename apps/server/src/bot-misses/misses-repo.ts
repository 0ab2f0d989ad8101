import type { Channel, MissEntry, MissReason } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';

/** How many open misses the inbox groups at once (the newest). */
export const MISSES_SHOWN = 2000;

interface MissRow {
  id: string;
  message_id: string;
  conversation_id: string;
  ticket_id: string | null;
  text: string;
  language: string | null;
  channel: Channel;
  reason: MissReason;
  created_at: string;
}

const toEntry = (r: MissRow): MissEntry => ({
  id: r.id,
  messageId: r.message_id,
  conversationId: r.conversation_id,
  ticketId: r.ticket_id,
  text: r.text,
  language: r.language,
  channel: r.channel,
  reason: r.reason,
  createdAt: r.created_at,
});

/** The misses inbox's rows (written by the report recorder as the bot misses). */
export class MissesRepo {
  constructor(private readonly db: Db) {}

  open(limit = MISSES_SHOWN): { entries: MissEntry[]; total: number } {
    const rows = statement(
      this.db,
      `SELECT b.id, b.message_id, b.conversation_id, b.text, b.language, b.channel, b.reason, b.created_at,
              (SELECT t.id FROM tickets t WHERE t.conversation_id = b.conversation_id ORDER BY t.created_at DESC LIMIT 1) AS ticket_id
         FROM bot_misses b WHERE b.resolved_at IS NULL ORDER BY b.created_at DESC LIMIT ?`,
    ).all(limit) as MissRow[];
    const { total } = statement(this.db, 'SELECT COUNT(*) AS total FROM bot_misses WHERE resolved_at IS NULL').get() as { total: number };
    return { entries: rows.map(toEntry), total };
  }

  /** The open entries among `ids` (texts to add as phrases). */
  openTexts(ids: readonly string[]): { id: string; text: string }[] {
    return ids.flatMap((id) => {
      const row = statement(this.db, 'SELECT id, text FROM bot_misses WHERE id = ? AND resolved_at IS NULL').get(id) as { id: string; text: string } | undefined;
      return row ? [row] : [];
    });
  }

  resolve(ids: readonly string[], now: string): number {
    let resolved = 0;
    for (const id of ids) resolved += statement(this.db, 'UPDATE bot_misses SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL').run(now, id).changes;
    return resolved;
  }

  /** Deletes entries older than `before` (the retention setting). */
  deleteOlderThan(before: string): number {
    return statement(this.db, 'DELETE FROM bot_misses WHERE created_at < ?').run(before).changes;
  }
}
