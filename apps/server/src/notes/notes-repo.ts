import type { Message } from '@desk/core';
import type { Db } from '../db/database.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';

interface NoteRow {
  id: string;
  ticket_id: string;
  conversation_id: string;
  agent_id: string;
  text: string;
  mentions: string;
  created_at: string;
}

function fromRow(row: NoteRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    ticketId: row.ticket_id,
    authorKind: 'note',
    agentId: row.agent_id,
    text: row.text,
    attachments: [],
    channelMessageId: null,
    delivery: null,
    createdAt: row.created_at,
    mentions: JSON.parse(row.mentions) as string[],
  };
}

/**
 * Internal notes, in their own table: the messages table (and everything that reads it on the way
 * to a user) never holds one. Agents receive them through the change log as `message` rows.
 */
export class NotesRepo {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
  ) {}

  async get(id: string): Promise<Message | null> {
    const row = await this.db.q.selectFrom('notes').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async listByTicket(ticketId: string): Promise<Message[]> {
    const rows = await this.db.q.selectFrom('notes').selectAll().where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id').execute();
    return rows.map(fromRow);
  }

  /** Stores the note (inside the caller's transaction) and records it for the agents' devices. */
  async insert(note: Message & { ticketId: string; agentId: string }): Promise<void> {
    await this.db.q
      .insertInto('notes')
      .values({
        id: note.id,
        ticket_id: note.ticketId,
        conversation_id: note.conversationId,
        agent_id: note.agentId,
        text: note.text,
        mentions: JSON.stringify(note.mentions ?? []),
        created_at: note.createdAt,
      })
      .execute();
    await this.changes.record('message', note.id, 'put', note);
  }
}
