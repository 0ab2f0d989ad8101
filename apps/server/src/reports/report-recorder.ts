import type { Channel, HandOffDestination, Message, Ticket, TicketStatus } from '@desk/core';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { rawGet, rawRun } from '../db/raw-sql.ts';
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
  async botTurn(turn: RecordedTurn): Promise<void> {
    const { db } = this;
    const previous = (await rawGet(db, 'SELECT message_id, kind, intent_id, hand_off FROM bot_turns WHERE conversation_id = ? ORDER BY created_at DESC LIMIT 1', turn.conversationId)) as { message_id: string; kind: TurnKind; intent_id: string | null; hand_off: string | null } | undefined;
    await rawRun(
      db,
      'INSERT INTO bot_turns (message_id, conversation_id, channel, language, kind, intent_id, chosen, hand_off, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING', turn.messageId, turn.conversationId, turn.channel, turn.language, turn.kind, turn.intentId, turn.chosen ? 1 : 0, turn.handOff, turn.at);
    const count = (metric: string, intentId: string | null = null) => this.add(metric, turn.at, turn.channel, intentId, 1);

    const started = await rawRun(
      db,
      'INSERT INTO report_conversations (conversation_id, channel, intent_id, started_at) VALUES (?, ?, ?, ?) ON CONFLICT (conversation_id) DO NOTHING', turn.conversationId, turn.channel, '', turn.at);
    if (started.changes > 0) await count('conversation');
    await count('turn');
    switch (turn.kind) {
      case 'answer':
        await count('answer', turn.intentId);
        if (turn.answersAsk && turn.chosen) await count('ask_answered');
        await rawRun(db, "UPDATE report_conversations SET last_answer_at = ?, handled_alone = 1, intent_id = CASE WHEN intent_id = '' THEN ? ELSE intent_id END WHERE conversation_id = ?", turn.at,
          turn.intentId ?? '',
          turn.conversationId);
        break;
      case 'ask':
        await count('ask');
        break;
      case 'fallback':
        await count('fallback');
        await this.miss(turn, turn.messageId, turn.text, 'fallback');
        break;
      case 'offer':
        await count('fallback');
        await count('offer');
        await this.miss(turn, turn.messageId, turn.text, 'fallback');
        break;
      case 'accept_person':
        await count('offer_accepted');
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
      const asked = (await rawGet(db, "SELECT m.id, m.text FROM messages m WHERE m.conversation_id = ? AND m.author_kind = 'user' AND m.id = ?", turn.conversationId,
        previous.message_id)) as { id: string; text: string } | undefined;
      if (asked) await this.miss(turn, asked.id, asked.text, 'unanswered_ask');
    }
    if (turn.handOff) {
      await count(`handoff:${turn.handOff}`, turn.intentId);
      const conversation = (await rawGet(db, 'SELECT last_answer_at FROM report_conversations WHERE conversation_id = ?', turn.conversationId)) as
        | { last_answer_at: string | null }
        | undefined;
      const within24h = conversation?.last_answer_at != null && Date.parse(turn.at) - Date.parse(conversation.last_answer_at) <= DAY_MS;
      await rawRun(db, 'UPDATE report_conversations SET handed_off_at = ?, handled_alone = CASE WHEN ? THEN 0 ELSE handled_alone END WHERE conversation_id = ?', turn.at,
        within24h ? 1 : 0,
        turn.conversationId);
      // The user asked for a person right after an answer that did not hand off: that answer missed.
      if (previous?.kind === 'answer' && previous.hand_off === null && previous.intent_id !== turn.intentId) {
        const answered = (await rawGet(db, "SELECT id, text FROM messages WHERE id = ? AND author_kind = 'user'", previous.message_id)) as
          | { id: string; text: string }
          | undefined;
        if (answered) await this.miss(turn, answered.id, answered.text, 'asked_person');
      }
    }
  }

  /** Listens to ticket events; each is recorded in its own transaction right after the change committed. */
  listen(events: EventBus): void {
    const record = (work: () => Promise<void>) => void this.db.transaction(work).catch((err) => console.error('[desk] recording a report figure failed', err));
    events.on('ticket.created', ({ ticket }) => record(() => this.ticketCreated(ticket)));
    events.on('ticket.updated', ({ ticket, previous, actorId }) => {
      if (ticket.status !== previous.status) record(() => this.ticketStatusChanged(previous, ticket, actorId));
    });
    events.on('message.created', ({ message }) => {
      if (message.authorKind === 'agent' && message.ticketId) record(() => this.agentReplied(message));
    });
  }

  async ticketCreated(ticket: Ticket): Promise<void> {
    const inserted = await rawRun(this.db, 'INSERT INTO report_tickets (ticket_id, channel, intent_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING', ticket.id,
      ticket.channel,
      ticket.intentId ?? '',
      ticket.createdAt);
    if (inserted.changes === 0) return;
    await this.add('ticket_created', ticket.createdAt, ticket.channel, ticket.intentId, 1);
    await this.enterStatus(ticket, ticket.status, ticket.createdAt, 1);
  }

  /** `actorId`: the agent who changed it (the solver); the assignee when the change was not an agent's. */
  async ticketStatusChanged(previous: Ticket, ticket: Ticket, actorId: string | null): Promise<void> {
    const at = (ticket.status === 'solved' ? ticket.solvedAt : null) ?? ticket.updatedAt;
    await this.enterStatus(ticket, previous.status, at, -1);
    await this.enterStatus(ticket, ticket.status, at, 1);
    if (ticket.status === 'solved') {
      await this.add('ticket_solved', at, ticket.channel, ticket.intentId, 1);
      await rawRun(this.db, 'UPDATE report_tickets SET solved_at = ?, resolution_seconds = ?, solved_by = ? WHERE ticket_id = ?', at,
        (Date.parse(at) - Date.parse(ticket.createdAt)) / 1000,
        actorId ?? ticket.assigneeId,
        ticket.id);
    }
  }

  async agentReplied(message: Message): Promise<void> {
    await rawRun(
      this.db,
      `UPDATE report_tickets SET first_response_at = ?, first_response_agent_id = ?,
         first_response_seconds = ? WHERE ticket_id = ? AND first_response_at IS NULL`, message.createdAt, message.agentId ?? null, await this.secondsSinceCreated(message), message.ticketId);
  }

  private async secondsSinceCreated(message: Message): Promise<number | null> {
    const row = (await rawGet(this.db, 'SELECT created_at FROM report_tickets WHERE ticket_id = ?', message.ticketId)) as { created_at: string } | undefined;
    return row ? (Date.parse(message.createdAt) - Date.parse(row.created_at)) / 1000 : null;
  }

  private async enterStatus(ticket: Ticket, status: TicketStatus, at: string, delta: 1 | -1): Promise<void> {
    if (status === 'solved') return;
    await this.add(`status:${status}`, at, ticket.channel, ticket.intentId, delta);
  }

  private async miss(turn: RecordedTurn, messageId: string, text: string, reason: 'fallback' | 'unanswered_ask' | 'asked_person'): Promise<void> {
    if (text.trim() === '') return;
    await rawRun(
      this.db,
      'INSERT INTO bot_misses (id, message_id, conversation_id, channel, language, text, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING', randomUUID(), messageId, turn.conversationId, turn.channel, turn.language, text, reason, turn.at);
  }

  /** Adds to the hour's counter (kept for a change of time zone) and to the local day's (what reports read). */
  private async add(metric: string, at: string, channel: string, intentId: string | null, value: number): Promise<void> {
    const hour = hourOf(at);
    await rawRun(
      this.db,
      'INSERT INTO report_hourly (metric, hour, channel, intent_id, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT (metric, hour, channel, intent_id) DO UPDATE SET value = report_hourly.value + excluded.value', metric, hour, channel, intentId ?? '', value);
    await rawRun(
      this.db,
      'INSERT INTO report_daily (metric, day, channel, intent_id, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT (metric, day, channel, intent_id) DO UPDATE SET value = report_daily.value + excluded.value', metric, await this.zone.dayOfHour(hour), channel, intentId ?? '', value);
  }
}
