import { randomUUID } from 'node:crypto';
import type { Channel, Conversation, ConversationMode, Message } from '@desk/core';
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import type { Clock } from '../shared/clock.ts';
import type { BotKind } from './bot/dialogue.ts';
import { type MessageRow, messageFromRow } from './messages-repo.ts';

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

const insertConversation = prepared((q, row: ConversationRow) =>
  q.insertInto('conversations').values({
    id: row.id, contact_id: row.contact_id, channel: row.channel, external_id: row.external_id, mode: row.mode, external_mode: row.external_mode,
    active_ticket_id: row.active_ticket_id, language: row.language, created_at: row.created_at, updated_at: row.updated_at,
  }),
);
const conversationById = prepared((q, p: { id: string }) => q.selectFrom('conversations').selectAll().where('id', '=', p.id));
const conversationByIdentity = prepared((q, p: { channel: Channel; externalId: string }) =>
  q.selectFrom('conversations').selectAll().where('channel', '=', p.channel).where('external_id', '=', p.externalId),
);

// The conversation and its latest message (by the newest rowid, see messages-repo.ts) in one read:
// the engine needs both for every message the bot answers.
const conversationWithLatest = prepared((q, p: { channel: Channel; externalId: string }) =>
  q
    .selectFrom('conversations as c')
    .leftJoin('messages as m', (join) =>
      join.on('m.rowid', '=', (eb) => eb.selectFrom('messages as newest').select((e) => e.fn.max('newest.rowid').as('rowid')).whereRef('newest.conversation_id', '=', 'c.id')),
    )
    .selectAll('c')
    .select([
      'm.id as m_id', 'm.conversation_id as m_conversation_id', 'm.ticket_id as m_ticket_id', 'm.author_kind as m_author_kind',
      'm.agent_id as m_agent_id', 'm.text as m_text', 'm.attachments as m_attachments', 'm.channel as m_channel',
      'm.channel_message_id as m_channel_message_id', 'm.delivery as m_delivery', 'm.created_at as m_created_at',
      'm.quick_replies as m_quick_replies', 'm.bot_kind as m_bot_kind',
    ])
    .where('c.channel', '=', p.channel)
    .where('c.external_id', '=', p.externalId),
);

/** A conversation's latest message with its bot kind: the question a reply may answer. */
export type LatestMessage = { message: Message; botKind: BotKind | null };

const setConversationLanguage = prepared((q, p: { id: string; language: string }) =>
  q
    .updateTable('conversations')
    .set({ language: p.language })
    .where('id', '=', p.id)
    .where((eb) => eb.or([eb('language', 'is', null), eb('language', '!=', p.language)])),
);

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
    const row = await conversationById.first(this.db, { id });
    return row ? fromRow(row as ConversationRow) : null;
  }

  async findByIdentity(channel: Channel, externalId: string): Promise<ConversationRecord | null> {
    const row = await conversationByIdentity.first(this.db, { channel, externalId });
    return row ? fromRow(row as ConversationRow) : null;
  }

  /** The conversation of a channel identity with its latest message (null when it has none), in one read. */
  async findWithLatest(channel: Channel, externalId: string): Promise<{ conversation: ConversationRecord; latest: LatestMessage | null } | null> {
    const row = await conversationWithLatest.first(this.db, { channel, externalId });
    if (!row) return null;
    const conversation = fromRow(row as ConversationRow);
    if (row.m_id === null) return { conversation, latest: null };
    const message: MessageRow = {
      id: row.m_id,
      conversation_id: row.m_conversation_id as string,
      ticket_id: row.m_ticket_id,
      author_kind: row.m_author_kind as MessageRow['author_kind'],
      agent_id: row.m_agent_id,
      text: row.m_text as string,
      attachments: row.m_attachments as string,
      channel: row.m_channel as Channel,
      channel_message_id: row.m_channel_message_id,
      delivery: row.m_delivery,
      created_at: row.m_created_at as string,
      quick_replies: row.m_quick_replies,
      bot_kind: row.m_bot_kind as BotKind | null,
    };
    return { conversation, latest: { message: messageFromRow(message), botKind: message.bot_kind } };
  }

  async create(input: { contactId: string; channel: Channel; externalId: string }): Promise<ConversationRecord> {
    const now = this.clock();
    const row: ConversationRow = {
      id: randomUUID(),
      contact_id: input.contactId,
      channel: input.channel,
      external_id: input.externalId,
      mode: 'bot',
      external_mode: null,
      active_ticket_id: null,
      language: null,
      created_at: now,
      updated_at: now,
    };
    await insertConversation.run(this.db, row);
    // As stored: nothing in the row is computed by the database.
    return fromRow(row);
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
    await setConversationLanguage.run(this.db, { id, language });
  }
}
