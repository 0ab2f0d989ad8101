import type { Message } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
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

  get(id: string): Message | null {
    const row = statement(this.db, 'SELECT * FROM notes WHERE id = ?').get(id) as NoteRow | undefined;
    return row ? fromRow(row) : null;
  }

  listByTicket(ticketId: string): Message[] {
    return (statement(this.db, 'SELECT * FROM notes WHERE ticket_id = ? ORDER BY created_at, id').all(ticketId) as NoteRow[]).map(fromRow);
  }

  /** Stores the note (inside the caller's transaction) and records it for the agents' devices. */
  insert(note: Message & { ticketId: string; agentId: string }): void {
    statement(this.db, 'INSERT INTO notes (id, ticket_id, conversation_id, agent_id, text, mentions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      note.id,
      note.ticketId,
      note.conversationId,
      note.agentId,
      note.text,
      JSON.stringify(note.mentions ?? []),
      note.createdAt,
    );
    this.changes.record('message', note.id, 'put', note);
  }
}
