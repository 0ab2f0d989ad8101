import type { Channel, HandOffDestination, Message, Ticket, TicketStatus } from '@desk/core';
import { randomUUID } from 'node:crypto';
import { type Db, inTransaction } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import type { EventBus } from '../events/domain-events.ts';
import type { ReportZone } from './report-zone.ts';

/** What the bot did with one user message, as the engine played it. */
export type TurnKind = 'answer' | 'ask' | 'fallback' | 'offer' | 'accept_person' | 'decline_person';

export interface RecordedTurn {
  messageId: string;
  conversationId: string;
  channel: Channel;
  language: string | null;
  text: string;
  kind: TurnKind;
  intentId: string | null;
  /** The user pressed (or typed) one of the choices the bot offered. */
  chosen: boolean;
  /** Whether the bot's previous message asked which intent the user meant. */
  answersAsk: boolean;
  handOff: HandOffDestination | null;
  at: string;
}

const DAY_MS = 86_400_000;

/** The roll-up bucket of an ISO timestamp: its UTC hour. */
export const hourOf = (iso: string) => iso.slice(0, 13);

/**
 * Writes what the Reports page and the misses inbox read, as things happen: bot turns (inside the
 * engine's transaction), ticket creations, status changes and first replies (from domain events, in a
 * transaction of their own right after the change committed).
 */
export class ReportRecorder {
  constructor(
    private readonly db: Db,
    private readonly zone: ReportZone,
  ) {}

  /** Inside the engine's transaction. */
  botTurn(turn: RecordedTurn): void {
    const { db } = this;
    const previous = statement(db, 'SELECT message_id, kind, intent_id, hand_off FROM bot_turns WHERE conversation_id = ? ORDER BY created_at DESC LIMIT 1').get(
      turn.conversationId,
    ) as { message_id: string; kind: TurnKind; intent_id: string | null; hand_off: string | null } | undefined;
    statement(
      db,
      'INSERT INTO bot_turns (message_id, conversation_id, channel, language, kind, intent_id, chosen, hand_off, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING',
    ).run(turn.messageId, turn.conversationId, turn.channel, turn.language, turn.kind, turn.intentId, turn.chosen ? 1 : 0, turn.handOff, turn.at);
    const count = (metric: string, intentId: string | null = null) => this.add(metric, turn.at, turn.channel, intentId, 1);

    const started = statement(
      db,
      'INSERT INTO report_conversations (conversation_id, channel, intent_id, started_at) VALUES (?, ?, ?, ?) ON CONFLICT (conversation_id) DO NOTHING',
    ).run(turn.conversationId, turn.channel, '', turn.at);
    if (started.changes > 0) count('conversation');
    count('turn');
    switch (turn.kind) {
      case 'answer':
        count('answer', turn.intentId);
        if (turn.answersAsk && turn.chosen) count('ask_answered');
        statement(db, "UPDATE report_conversations SET last_answer_at = ?, handled_alone = 1, intent_id = CASE WHEN intent_id = '' THEN ? ELSE intent_id END WHERE conversation_id = ?").run(
          turn.at,
          turn.intentId ?? '',
          turn.conversationId,
        );
        break;
      case 'ask':
        count('ask');
        break;
      case 'fallback':
        count('fallback');
        this.miss(turn, turn.messageId, turn.text, 'fallback');
        break;
      case 'offer':
        count('fallback');
        count('offer');
        this.miss(turn, turn.messageId, turn.text, 'fallback');
        break;
      case 'accept_person':
        count('offer_accepted');
        break;
      case 'decline_person':
        break;
      default: {
        const unknown: never = turn.kind;
        throw new Error(`Unknown turn kind ${String(unknown)}`);
      }
    }
    // The bot asked which intent was meant and the user went on without choosing: a miss.
    if (turn.answersAsk && !turn.chosen && previous?.kind === 'ask') {
      const asked = statement(db, "SELECT m.id, m.text FROM messages m WHERE m.conversation_id = ? AND m.author_kind = 'user' AND m.id = ?").get(
        turn.conversationId,
        previous.message_id,
      ) as { id: string; text: string } | undefined;
      if (asked) this.miss(turn, asked.id, asked.text, 'unanswered_ask');
    }
    if (turn.handOff) {
      count(`handoff:${turn.handOff}`, turn.intentId);
      const conversation = statement(db, 'SELECT last_answer_at FROM report_conversations WHERE conversation_id = ?').get(turn.conversationId) as
        | { last_answer_at: string | null }
        | undefined;
      const within24h = conversation?.last_answer_at != null && Date.parse(turn.at) - Date.parse(conversation.last_answer_at) <= DAY_MS;
      statement(db, 'UPDATE report_conversations SET handed_off_at = ?, handled_alone = CASE WHEN ? THEN 0 ELSE handled_alone END WHERE conversation_id = ?').run(
        turn.at,
        within24h ? 1 : 0,
        turn.conversationId,
      );
      // The user asked for a person right after an answer that did not hand off: that answer missed.
      if (previous?.kind === 'answer' && previous.hand_off === null && previous.intent_id !== turn.intentId) {
        const answered = statement(db, "SELECT id, text FROM messages WHERE id = ? AND author_kind = 'user'").get(previous.message_id) as
          | { id: string; text: string }
          | undefined;
        if (answered) this.miss(turn, answered.id, answered.text, 'asked_person');
      }
    }
  }

  /** Listens to ticket events; each is recorded in its own transaction right after the change committed. */
  listen(events: EventBus): void {
    events.on('ticket.created', ({ ticket }) => inTransaction(this.db, () => this.ticketCreated(ticket)));
    events.on('ticket.updated', ({ ticket, previous, actorId }) => {
      if (ticket.status !== previous.status) inTransaction(this.db, () => this.ticketStatusChanged(previous, ticket, actorId));
    });
    events.on('message.created', ({ message }) => {
      if (message.authorKind === 'agent' && message.ticketId) inTransaction(this.db, () => this.agentReplied(message));
    });
  }

  ticketCreated(ticket: Ticket): void {
    const inserted = statement(this.db, 'INSERT INTO report_tickets (ticket_id, channel, intent_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING').run(
      ticket.id,
      ticket.channel,
      ticket.intentId ?? '',
      ticket.createdAt,
    );
    if (inserted.changes === 0) return;
    this.add('ticket_created', ticket.createdAt, ticket.channel, ticket.intentId, 1);
    this.enterStatus(ticket, ticket.status, ticket.createdAt, 1);
  }

  /** `actorId`: the agent who changed it (the solver); the assignee when the change was not an agent's. */
  ticketStatusChanged(previous: Ticket, ticket: Ticket, actorId: string | null): void {
    const at = (ticket.status === 'solved' ? ticket.solvedAt : null) ?? ticket.updatedAt;
    this.enterStatus(ticket, previous.status, at, -1);
    this.enterStatus(ticket, ticket.status, at, 1);
    if (ticket.status === 'solved') {
      this.add('ticket_solved', at, ticket.channel, ticket.intentId, 1);
      statement(this.db, 'UPDATE report_tickets SET solved_at = ?, resolution_seconds = ?, solved_by = ? WHERE ticket_id = ?').run(
        at,
        (Date.parse(at) - Date.parse(ticket.createdAt)) / 1000,
        actorId ?? ticket.assigneeId,
        ticket.id,
      );
    }
  }

  agentReplied(message: Message): void {
    statement(
      this.db,
      `UPDATE report_tickets SET first_response_at = ?, first_response_agent_id = ?,
         first_response_seconds = ? WHERE ticket_id = ? AND first_response_at IS NULL`,
    ).run(message.createdAt, message.agentId ?? null, this.secondsSinceCreated(message), message.ticketId);
  }

  private secondsSinceCreated(message: Message): number | null {
    const row = statement(this.db, 'SELECT created_at FROM report_tickets WHERE ticket_id = ?').get(message.ticketId) as { created_at: string } | undefined;
    return row ? (Date.parse(message.createdAt) - Date.parse(row.created_at)) / 1000 : null;
  }

  private enterStatus(ticket: Ticket, status: TicketStatus, at: string, delta: 1 | -1): void {
    if (status === 'solved') return;
    this.add(`status:${status}`, at, ticket.channel, ticket.intentId, delta);
  }

  private miss(turn: RecordedTurn, messageId: string, text: string, reason: 'fallback' | 'unanswered_ask' | 'asked_person'): void {
    if (text.trim() === '') return;
    statement(
      this.db,
      'INSERT INTO bot_misses (id, message_id, conversation_id, channel, language, text, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING',
    ).run(randomUUID(), messageId, turn.conversationId, turn.channel, turn.language, text, reason, turn.at);
  }

  /** Adds to the hour's counter (kept for a change of time zone) and to the local day's (what reports read). */
  private add(metric: string, at: string, channel: string, intentId: string | null, value: number): void {
    const hour = hourOf(at);
    statement(
      this.db,
      'INSERT INTO report_hourly (metric, hour, channel, intent_id, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT (metric, hour, channel, intent_id) DO UPDATE SET value = report_hourly.value + excluded.value',
    ).run(metric, hour, channel, intentId ?? '', value);
    statement(
      this.db,
      'INSERT INTO report_daily (metric, day, channel, intent_id, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT (metric, day, channel, intent_id) DO UPDATE SET value = report_daily.value + excluded.value',
    ).run(metric, this.zone.dayOfHour(hour), channel, intentId ?? '', value);
  }
}
