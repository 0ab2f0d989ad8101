import { type AuthorKind, type Channel, type Conversation, type ConversationMode, type QuickReply, timeOrderedId } from '@desk/core';
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import type { Clock } from '../shared/clock.ts';
import type { BotKind } from './bot/dialogue.ts';

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
// A hand-off (a fifth of a busy inbox) and its cancellation change the mode inside the batch.
const setConversationMode = prepared(
  (q, row: Pick<ConversationRow, 'id' | 'mode' | 'external_mode' | 'active_ticket_id' | 'updated_at'>) =>
    q
      .updateTable('conversations')
      .set({ mode: row.mode, external_mode: row.external_mode, active_ticket_id: row.active_ticket_id, updated_at: row.updated_at })
      .where('id', '=', row.id),
);
const conversationById = prepared((q, p: { id: string }) => q.selectFrom('conversations').selectAll().where('id', '=', p.id));
const conversationByIdentity = prepared((q, p: { channel: Channel; externalId: string }) =>
  q.selectFrom('conversations').selectAll().where('channel', '=', p.channel).where('external_id', '=', p.externalId),
);

// The conversation and what the engine needs of its latest message (by the newest rowid, see
// messages-repo.ts) in one read: the engine reads both for every message the bot answers.
const conversationWithLatest = prepared((q, p: { channel: Channel; externalId: string }) =>
  q
    .selectFrom('conversations as c')
    .leftJoin('messages as m', (join) =>
      join.on('m.rowid', '=', (eb) => eb.selectFrom('messages as newest').select((e) => e.fn.max('newest.rowid').as('rowid')).whereRef('newest.conversation_id', '=', 'c.id')),
    )
    .selectAll('c')
    .select(['m.author_kind as m_author_kind', 'm.quick_replies as m_quick_replies', 'm.bot_kind as m_bot_kind'])
    .where('c.channel', '=', p.channel)
    .where('c.external_id', '=', p.externalId),
);

/** A conversation's latest message as far as a reply to it matters: who wrote it, and the bot's question with its choices. */
export interface LatestMessage {
  authorKind: AuthorKind;
  quickReplies: QuickReply[] | null;
  botKind: BotKind | null;
}

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
    if (row.m_author_kind === null) return { conversation, latest: null };
    return {
      conversation,
      latest: {
        authorKind: row.m_author_kind as AuthorKind,
        quickReplies: row.m_quick_replies ? (JSON.parse(row.m_quick_replies) as QuickReply[]) : null,
        botKind: row.m_bot_kind as BotKind | null,
      },
    };
  }

  async create(input: { contactId: string; channel: Channel; externalId: string }): Promise<ConversationRecord> {
    const now = this.clock();
    const row: ConversationRow = {
      id: timeOrderedId(),
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
    await setConversationMode.run(this.db, {
      id,
      mode: external ? 'bot' : (mode as 'bot' | 'desk'),
      external_mode: external,
      active_ticket_id: external ? null : activeTicketId,
      updated_at: this.clock(),
    });
  }

  async setLanguage(id: string, language: string): Promise<void> {
    await setConversationLanguage.run(this.db, { id, language });
  }
}
