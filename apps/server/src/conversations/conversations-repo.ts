import { randomUUID } from 'node:crypto';
import type { Channel, Conversation, ConversationMode } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import type { Clock } from '../shared/clock.ts';

/** The server's view of a conversation: the public fields plus the language the user last wrote in. */
export interface ConversationRecord extends Conversation {
  language: string | null;
}

interface ConversationRow {
  id: string;
  contact_id: string;
  channel: Channel;
  external_id: string;
  mode: 'bot' | 'desk';
  external_mode: 'zendesk' | 'zendesk_messaging' | null;
  active_ticket_id: string | null;
  language: string | null;
  created_at: string;
  updated_at: string;
}

function fromRow(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    contactId: row.contact_id,
    channel: row.channel,
    externalId: row.external_id,
    mode: row.external_mode ?? row.mode,
    activeTicketId: row.active_ticket_id,
    language: row.language,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * One conversation per channel identity. Not a synced entity on its own: agents see it through
 * its tickets and messages, so there is nothing to record in the change feed here.
 */
export class ConversationsRepo {
  private readonly byIdentity;
  private readonly byId;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.byIdentity = statement(db, 'SELECT * FROM conversations WHERE channel = ? AND external_id = ?');
    this.byId = statement(db, 'SELECT * FROM conversations WHERE id = ?');
  }

  get(id: string): ConversationRecord | null {
    const row = this.byId.get(id) as ConversationRow | undefined;
    return row ? fromRow(row) : null;
  }

  findByIdentity(channel: Channel, externalId: string): ConversationRecord | null {
    const row = this.byIdentity.get(channel, externalId) as ConversationRow | undefined;
    return row ? fromRow(row) : null;
  }

  create(input: { contactId: string; channel: Channel; externalId: string }): ConversationRecord {
    const now = this.clock();
    const id = randomUUID();
    statement(
      this.db,
      `INSERT INTO conversations (id, contact_id, channel, external_id, mode, active_ticket_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'bot', NULL, ?, ?)`,
    ).run(id, input.contactId, input.channel, input.externalId, now, now);
    return this.get(id) as ConversationRecord;
  }

  /** `zendesk` and `zendesk_messaging` keep no Desk ticket: the hand-off row remembers Zendesk's. */
  setMode(id: string, mode: ConversationMode, activeTicketId: string | null): void {
    const external = mode === 'zendesk' || mode === 'zendesk_messaging' ? mode : null;
    statement(
      this.db,
      'UPDATE conversations SET mode = ?, external_mode = ?, active_ticket_id = ?, updated_at = ? WHERE id = ?',
    ).run(external ? 'bot' : mode, external, external ? null : activeTicketId, this.clock(), id);
  }

  setLanguage(id: string, language: string): void {
    statement(this.db, 'UPDATE conversations SET language = ? WHERE id = ? AND language IS NOT ?').run(language, id, language);
  }
}
