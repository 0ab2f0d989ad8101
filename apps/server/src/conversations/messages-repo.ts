import { randomUUID } from 'node:crypto';
import type { Attachment, AuthorKind, Channel, Delivery, Message, QuickReply } from '@desk/core';
import type { BotKind } from './bot/dialogue.ts';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import type { Clock } from '../shared/clock.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';

interface MessageRow {
  id: string;
  conversation_id: string;
  ticket_id: string | null;
  author_kind: AuthorKind;
  agent_id: string | null;
  text: string;
  attachments: string;
  channel: Channel;
  channel_message_id: string | null;
  delivery: string | null;
  created_at: string;
  quick_replies: string | null;
  bot_kind: BotKind | null;
}

function fromRow(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    ticketId: row.ticket_id,
    authorKind: row.author_kind,
    agentId: row.agent_id,
    text: row.text,
    attachments: JSON.parse(row.attachments) as Attachment[],
    channelMessageId: row.channel_message_id,
    delivery: row.delivery ? (JSON.parse(row.delivery) as Delivery) : null,
    createdAt: row.created_at,
    ...(row.quick_replies ? { quickReplies: JSON.parse(row.quick_replies) as QuickReply[] } : {}),
  };
}

export interface NewMessage {
  id?: string;
  conversationId: string;
  channel: Channel;
  ticketId: string | null;
  authorKind: AuthorKind;
  agentId?: string | null;
  text: string;
  attachments?: Attachment[];
  channelMessageId?: string | null;
  delivery?: Delivery | null;
  quickReplies?: QuickReply[];
  botKind?: BotKind;
}

/** Messages are append-only; only their ticket link and delivery state change afterwards. */
export class MessagesRepo {
  private readonly insert;
  private readonly byId;
  private readonly byChannelId;

  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
  ) {
    this.insert = statement(
      db,
      `INSERT INTO messages (id, conversation_id, ticket_id, author_kind, agent_id, text, attachments, channel,
         channel_message_id, delivery, created_at, quick_replies, bot_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byId = statement(db, 'SELECT * FROM messages WHERE id = ?');
    this.byChannelId = statement(db, 'SELECT * FROM messages WHERE channel = ? AND channel_message_id = ?');
  }

  get(id: string): Message | null {
    const row = this.byId.get(id) as MessageRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** A message already received from the channel under this id (a redelivered webhook). */
  findByChannelId(channel: Channel, channelMessageId: string): Message | null {
    const row = this.byChannelId.get(channel, channelMessageId) as MessageRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Stores the message, or answers the one already stored under the same channel message id. */
  append(input: NewMessage): { message: Message; created: boolean } {
    if (input.channelMessageId) {
      const existing = this.findByChannelId(input.channel, input.channelMessageId);
      if (existing) return { message: existing, created: false };
    }
    const message: Message = {
      id: input.id ?? randomUUID(),
      conversationId: input.conversationId,
      ticketId: input.ticketId,
      authorKind: input.authorKind,
      agentId: input.agentId ?? null,
      text: input.text,
      attachments: input.attachments ?? [],
      channelMessageId: input.channelMessageId ?? null,
      delivery: input.delivery ?? null,
      createdAt: this.clock(),
      ...(input.quickReplies?.length ? { quickReplies: input.quickReplies } : {}),
    };
    this.insert.run(
      message.id,
      message.conversationId,
      message.ticketId,
      message.authorKind,
      message.agentId,
      message.text,
      JSON.stringify(message.attachments),
      input.channel,
      message.channelMessageId,
      message.delivery ? JSON.stringify(message.delivery) : null,
      message.createdAt,
      message.quickReplies ? JSON.stringify(message.quickReplies) : null,
      input.botKind ?? null,
    );
    this.changes.record('message', message.id, 'put', message);
    return { message, created: true };
  }

  listByConversation(conversationId: string, options: { afterId?: string } = {}): Message[] {
    const rows = options.afterId
      ? statement(
          this.db,
          `SELECT * FROM messages WHERE conversation_id = ?
             AND rowid > COALESCE((SELECT rowid FROM messages WHERE id = ? AND conversation_id = ?), 0)
           ORDER BY rowid`,
        ).all(conversationId, options.afterId, conversationId)
      : statement(this.db, 'SELECT * FROM messages WHERE conversation_id = ? ORDER BY rowid').all(conversationId);
    return (rows as MessageRow[]).map(fromRow);
  }

  /** The conversation's latest message with its bot kind, if any: the question a reply may answer. */
  latest(conversationId: string): { message: Message; botKind: BotKind | null } | null {
    const row = statement(this.db, 'SELECT * FROM messages WHERE conversation_id = ? ORDER BY rowid DESC LIMIT 1').get(conversationId) as MessageRow | undefined;
    return row ? { message: fromRow(row), botKind: row.bot_kind } : null;
  }

  /** The kinds of the conversation's latest bot messages, newest first. */
  recentBotKinds(conversationId: string, limit: number): (BotKind | null)[] {
    const rows = statement(
      this.db,
      "SELECT bot_kind FROM messages WHERE conversation_id = ? AND author_kind = 'bot' ORDER BY rowid DESC LIMIT ?",
    ).all(conversationId, limit) as { bot_kind: BotKind | null }[];
    return rows.map((row) => row.bot_kind);
  }

  /** Whether an agent has written in the ticket yet. */
  hasAgentReply(ticketId: string): boolean {
    return statement(this.db, "SELECT 1 FROM messages WHERE ticket_id = ? AND author_kind = 'agent' LIMIT 1").get(ticketId) !== undefined;
  }

  listByTicket(ticketId: string): Message[] {
    const rows = statement(this.db, 'SELECT * FROM messages WHERE ticket_id = ? ORDER BY rowid').all(ticketId) as MessageRow[];
    return rows.map(fromRow);
  }

  /**
   * Links to the new ticket every message of the conversation that belongs to no ticket yet:
   * messages written while a ticket is active always carry it, so the unlinked ones are exactly
   * those since the previous ticket was solved (or since the start).
   */
  attachUnticketed(conversationId: string, ticketId: string): Message[] {
    const rows = statement(
      this.db,
      'SELECT * FROM messages WHERE conversation_id = ? AND ticket_id IS NULL ORDER BY rowid',
    ).all(conversationId) as MessageRow[];
    const update = statement(this.db, 'UPDATE messages SET ticket_id = ? WHERE id = ?');
    return rows.map((row) => {
      update.run(ticketId, row.id);
      const message = { ...fromRow(row), ticketId };
      this.changes.record('message', message.id, 'put', message);
      return message;
    });
  }

  /**
   * Changes one attachment (by position) of a stored message: a pending download became a file, or
   * failed. Answers the message as now stored, or null when it or the attachment is missing.
   */
  patchAttachment(id: string, position: number, change: Partial<Attachment>): Message | null {
    const current = this.get(id);
    if (!current?.attachments[position]) return null;
    const attachments = current.attachments.map((a, i) => (i === position ? { ...a, ...change } : a));
    statement(this.db, 'UPDATE messages SET attachments = ? WHERE id = ?').run(JSON.stringify(attachments), id);
    const message = { ...current, attachments };
    this.changes.record('message', id, 'put', message);
    return message;
  }

  setDelivery(id: string, delivery: Delivery, channelMessageId?: string): Message {
    if (channelMessageId) {
      statement(
        this.db,
        'UPDATE messages SET delivery = ?, channel_message_id = ? WHERE id = ?',
      ).run(JSON.stringify(delivery), channelMessageId, id);
    } else {
      statement(this.db, 'UPDATE messages SET delivery = ? WHERE id = ?').run(JSON.stringify(delivery), id);
    }
    const message = this.get(id) as Message;
    this.changes.record('message', id, 'put', message);
    return message;
  }
}
