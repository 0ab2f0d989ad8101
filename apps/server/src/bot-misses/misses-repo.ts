import type { Channel, MissEntry, MissReason } from '@desk/core';
import type { Db } from '../db/database.ts';

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

  async open(limit = MISSES_SHOWN): Promise<{ entries: MissEntry[]; total: number }> {
    const rows = await this.db.q
      .selectFrom('bot_misses as b')
      .select(['b.id', 'b.message_id', 'b.conversation_id', 'b.text', 'b.language', 'b.channel', 'b.reason', 'b.created_at'])
      .select((eb) =>
        eb.selectFrom('tickets as t').select('t.id').whereRef('t.conversation_id', '=', 'b.conversation_id').orderBy('t.created_at', 'desc').limit(1).as('ticket_id'),
      )
      .where('b.resolved_at', 'is', null)
      .orderBy('b.created_at', 'desc')
      .limit(limit)
      .execute();
    const { total } = await this.db.q
      .selectFrom('bot_misses')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('resolved_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { entries: rows.map((r) => toEntry({ ...r, channel: r.channel as Channel })), total: Number(total) };
  }

  /** The open entries among `ids` (texts to add as phrases). */
  async openTexts(ids: readonly string[]): Promise<{ id: string; text: string }[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.q.selectFrom('bot_misses').select(['id', 'text']).where('id', 'in', ids).where('resolved_at', 'is', null).execute();
    // In the order asked for (the first becomes the first phrase).
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async resolve(ids: readonly string[], now: string): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db.q.updateTable('bot_misses').set({ resolved_at: now }).where('id', 'in', ids).where('resolved_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Whether the inbox holds (or held, until retention deletes them) entries from this conversation. */
  async cameFrom(conversationId: string): Promise<boolean> {
    const row = await this.db.q.selectFrom('bot_misses').select('id').where('conversation_id', '=', conversationId).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /** The newest ticket the conversation went to (the link from an entry to the ticket view). */
  async latestTicketOf(conversationId: string): Promise<string | null> {
    const row = await this.db.q.selectFrom('tickets').select('id').where('conversation_id', '=', conversationId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return row?.id ?? null;
  }

  /** Deletes entries older than `before` (the retention setting). */
  async deleteOlderThan(before: string): Promise<number> {
    return Number((await this.db.q.deleteFrom('bot_misses').where('created_at', '<', before).executeTakeFirst()).numDeletedRows);
  }
}
