import { randomUUID } from 'node:crypto';
import type { Channel, Conversation, ConversationMode } from '@desk/core';
import type { Db } from '../db/database.ts';
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
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async get(id: string): Promise<ConversationRecord | null> {
    const row = await this.db.q.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row as ConversationRow) : null;
  }

  async findByIdentity(channel: Channel, externalId: string): Promise<ConversationRecord | null> {
    const row = await this.db.q.selectFrom('conversations').selectAll().where('channel', '=', channel).where('external_id', '=', externalId).executeTakeFirst();
    return row ? fromRow(row as ConversationRow) : null;
  }

  async create(input: { contactId: string; channel: Channel; externalId: string }): Promise<ConversationRecord> {
    const now = this.clock();
    const id = randomUUID();
    await this.db.q
      .insertInto('conversations')
      .values({
        id,
        contact_id: input.contactId,
        channel: input.channel,
        external_id: input.externalId,
        mode: 'bot',
        external_mode: null,
        active_ticket_id: null,
        language: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return (await this.get(id)) as ConversationRecord;
  }

  /** `zendesk` and `zendesk_messaging` keep no Desk ticket: the hand-off row remembers Zendesk's. */
  async setMode(id: string, mode: ConversationMode, activeTicketId: string | null): Promise<void> {
    const external = mode === 'zendesk' || mode === 'zendesk_messaging' ? mode : null;
    await this.db.q
      .updateTable('conversations')
      .set({ mode: external ? 'bot' : (mode as 'bot' | 'desk'), external_mode: external, active_ticket_id: external ? null : activeTicketId, updated_at: this.clock() })
      .where('id', '=', id)
      .execute();
  }

  async setLanguage(id: string, language: string): Promise<void> {
    await this.db.q
      .updateTable('conversations')
      .set({ language })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('language', 'is', null), eb('language', '!=', language)]))
      .execute();
  }
}
