import type { Channel, HandOffDestination, Message, Ticket, TicketStatus } from '@desk/core';
import { randomUUID } from 'node:crypto';
import { type Db, TransactionAborted } from '../db/database.ts';
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
    const previous = await db.q
      .selectFrom('bot_turns')
      .select(['message_id', 'kind', 'intent_id', 'hand_off'])
      .where('conversation_id', '=', turn.conversationId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    await db.q
      .insertInto('bot_turns')
      .values({
        message_id: turn.messageId, conversation_id: turn.conversationId, channel: turn.channel, language: turn.language, kind: turn.kind,
        intent_id: turn.intentId, chosen: turn.chosen ? 1 : 0, hand_off: turn.handOff, created_at: turn.at,
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .execute();
    const count = (metric: string, intentId: string | null = null) => this.add(metric, turn.at, turn.channel, intentId, 1);

    const started = await db.q
      .insertInto('report_conversations')
      .values({ conversation_id: turn.conversationId, channel: turn.channel, intent_id: '', started_at: turn.at, handled_alone: 0 })
      .onConflict((oc) => oc.column('conversation_id').doNothing())
      .executeTakeFirst();
    if (Number(started.numInsertedOrUpdatedRows ?? 0) > 0) await count('conversation');
    await count('turn');
    switch (turn.kind) {
      case 'answer':
        await count('answer', turn.intentId);
        if (turn.answersAsk && turn.chosen) await count('ask_answered');
        await db.q
          .updateTable('report_conversations')
          .set((eb) => ({
            last_answer_at: turn.at,
            handled_alone: 1,
            intent_id: eb.case().when('intent_id', '=', '').then(turn.intentId ?? '').else(eb.ref('intent_id')).end(),
          }))
          .where('conversation_id', '=', turn.conversationId)
          .execute();
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
      const asked = await this.userMessage(previous.message_id, turn.conversationId);
      if (asked) await this.miss(turn, asked.id, asked.text, 'unanswered_ask');
    }
    if (turn.handOff) {
      await count(`handoff:${turn.handOff}`, turn.intentId);
      const conversation = await db.q.selectFrom('report_conversations').select('last_answer_at').where('conversation_id', '=', turn.conversationId).executeTakeFirst();
      const within24h = conversation?.last_answer_at != null && Date.parse(turn.at) - Date.parse(conversation.last_answer_at) <= DAY_MS;
      await db.q
        .updateTable('report_conversations')
        .set(within24h ? { handed_off_at: turn.at, handled_alone: 0 } : { handed_off_at: turn.at })
        .where('conversation_id', '=', turn.conversationId)
        .execute();
      // The user asked for a person right after an answer that did not hand off: that answer missed.
      if (previous?.kind === 'answer' && previous.hand_off === null && previous.intent_id !== turn.intentId) {
        const answered = await this.userMessage(previous.message_id, turn.conversationId);
        if (answered) await this.miss(turn, answered.id, answered.text, 'asked_person');
      }
    }
  }

  /** Ticket events being recorded (reports wait for them: see `settled`). */
  private readonly recording = new Set<Promise<void>>();

  /**
   * Listens to ticket events, recorded right after the change committed. The events one commit emits
   * (a sync push of 100 mutations) are recorded together in one transaction, each in its own
   * savepoint: one commit instead of one per event, and a figure that fails loses only itself. Batches
   * run one after the other, in the order of their events.
   */
  listen(events: EventBus): void {
    let batch: (() => Promise<void>)[] | null = null;
    let tail: Promise<void> = Promise.resolve();
    const failed = (err: unknown) => console.error('[desk] recording a report figure failed', err);
    const record = (work: () => Promise<void>) => {
      if (batch) {
        batch.push(work);
        return;
      }
      const queued = [work];
      batch = queued;
      // After the batch before it: a ticket's solve is never recorded before its creation (on a
      // PostgreSQL pool two batches would otherwise run side by side).
      const recording: Promise<void> = tail
        .then(() => {
          batch = null;
          return this.db.transaction(async () => {
            for (const each of queued) {
              await this.db.transaction(each).catch((err) => {
                // The database ended the whole transaction: nothing more can be recorded in it.
                if (err instanceof TransactionAborted) throw err;
                failed(err);
              });
            }
          });
        })
        .catch(failed)
        .finally(() => this.recording.delete(recording));
      tail = recording;
      this.recording.add(recording);
      // Closing the database waits for these.
      this.db.track(recording);
    };
    events.on('ticket.created', ({ ticket }) => record(() => this.ticketCreated(ticket)));
    events.on('ticket.updated', ({ ticket, previous, actorId }) => {
      if (ticket.status !== previous.status) record(() => this.ticketStatusChanged(previous, ticket, actorId));
    });
    events.on('message.created', ({ message }) => {
      if (message.authorKind === 'agent' && message.ticketId) record(() => this.agentReplied(message));
    });
  }

  /**
   * Resolves once the ticket events this instance has seen are recorded: a report read after a change
   * (e.g. a solve) counts it. On SQLite the one connection orders them anyway; a PostgreSQL pool
   * would otherwise let the report's reads pass a recording still in flight.
   */
  async settled(): Promise<void> {
    while (this.recording.size > 0) await Promise.all([...this.recording]);
  }

  async ticketCreated(ticket: Ticket): Promise<void> {
    const inserted = await this.db.q
      .insertInto('report_tickets')
      .values({ ticket_id: ticket.id, channel: ticket.channel, intent_id: ticket.intentId ?? '', created_at: ticket.createdAt })
      .onConflict((oc) => oc.column('ticket_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return;
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
      await this.db.q
        .updateTable('report_tickets')
        .set({ solved_at: at, resolution_seconds: (Date.parse(at) - Date.parse(ticket.createdAt)) / 1000, solved_by: actorId ?? ticket.assigneeId })
        .where('ticket_id', '=', ticket.id)
        .execute();
    }
  }

  async agentReplied(message: Message): Promise<void> {
    const ticketId = message.ticketId;
    if (!ticketId) return;
    const row = await this.db.q.selectFrom('report_tickets').select(['created_at', 'first_response_at']).where('ticket_id', '=', ticketId).executeTakeFirst();
    if (!row || row.first_response_at !== null) return;
    await this.db.q
      .updateTable('report_tickets')
      .set({ first_response_at: message.createdAt, first_response_agent_id: message.agentId ?? null, first_response_seconds: (Date.parse(message.createdAt) - Date.parse(row.created_at)) / 1000 })
      .where('ticket_id', '=', ticketId)
      .where('first_response_at', 'is', null)
      .execute();
  }

  /** A user message of the conversation (the one a miss is about). */
  private async userMessage(messageId: string, conversationId: string): Promise<{ id: string; text: string } | undefined> {
    return this.db.q
      .selectFrom('messages')
      .select(['id', 'text'])
      .where('id', '=', messageId)
      .where('conversation_id', '=', conversationId)
      .where('author_kind', '=', 'user')
      .executeTakeFirst();
  }

  private async enterStatus(ticket: Ticket, status: TicketStatus, at: string, delta: 1 | -1): Promise<void> {
    if (status === 'solved') return;
    await this.add(`status:${status}`, at, ticket.channel, ticket.intentId, delta);
  }

  private async miss(turn: RecordedTurn, messageId: string, text: string, reason: 'fallback' | 'unanswered_ask' | 'asked_person'): Promise<void> {
    if (text.trim() === '') return;
    await this.db.q
      .insertInto('bot_misses')
      .values({ id: randomUUID(), message_id: messageId, conversation_id: turn.conversationId, channel: turn.channel, language: turn.language, text, reason, created_at: turn.at })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .execute();
  }

  /** Adds to the hour's counter (kept for a change of time zone) and to the local day's (what reports read). */
  private async add(metric: string, at: string, channel: string, intentId: string | null, value: number): Promise<void> {
    const hour = hourOf(at);
    const counter = { metric, channel, intent_id: intentId ?? '', value };
    await this.db.q
      .insertInto('report_hourly')
      .values({ ...counter, hour })
      .onConflict((oc) => oc.columns(['metric', 'hour', 'channel', 'intent_id']).doUpdateSet((eb) => ({ value: eb('report_hourly.value', '+', eb.ref('excluded.value')) })))
      .execute();
    await this.db.q
      .insertInto('report_daily')
      .values({ ...counter, day: await this.zone.dayOfHour(hour) })
      .onConflict((oc) => oc.columns(['metric', 'day', 'channel', 'intent_id']).doUpdateSet((eb) => ({ value: eb('report_daily.value', '+', eb.ref('excluded.value')) })))
      .execute();
  }
}
