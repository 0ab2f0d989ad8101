import { type Channel, type HandOffDestination, type Message, type Ticket, type TicketStatus, timeOrderedId } from '@desk/core';
import { type Db, TransactionAborted } from '../db/database.ts';
import { prepared, preparedRows } from '../db/prepared.ts';
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

/**
 * What one bot turn does to its conversation's report row (`report_conversations`), gathered until
 * the commit: an inbox batch plays a turn per message, and one statement writes the rows of many.
 */
export interface ConversationTurn {
  conversationId: string;
  channel: string;
  at: string;
  /** An answer's intent ('' when none); null when the turn was not an answer. */
  answered: string | null;
  /** The turn handed the conversation off (the row then notes when, and maybe that the bot was not alone). */
  handOff: boolean;
}

/** A conversation's report row as a transaction's turns leave it (see `mergeTurns`). */
export interface ConversationRow {
  conversation_id: string;
  channel: string;
  intent_id: string;
  started_at: string;
  last_answer_at: string | null;
  handled_alone: number;
}

/**
 * One row for a conversation's turns (in the order played, none a hand-off), written as they would
 * be one by one: a new row starts at the first turn; the answers, if any, mark the bot as having
 * handled it alone, the last one's time is kept, and the first answer with an intent names it (a
 * row already there keeps an intent it has). PostgreSQL refuses a statement that writes a row twice.
 */
export function mergeTurns(turns: ConversationTurn[]): ConversationRow {
  const first = turns[0];
  if (!first) throw new Error('A conversation row needs a turn.');
  let lastAnswerAt: string | null = null;
  let intentId = '';
  for (const turn of turns) {
    if (turn.answered === null) continue;
    lastAnswerAt = turn.at;
    if (intentId === '') intentId = turn.answered;
  }
  return { conversation_id: first.conversationId, channel: first.channel, intent_id: intentId, started_at: first.at, last_answer_at: lastAnswerAt, handled_alone: lastAnswerAt === null ? 0 : 1 };
}

/** The roll-up bucket of an ISO timestamp: its UTC hour. */
export const hourOf = (iso: string) => iso.slice(0, 13);

/** One addition to a roll-up counter. */
interface CounterDelta {
  metric: string;
  hour: string;
  channel: string;
  intentId: string;
  value: number;
}

const previousTurn = prepared((q, p: { conversationId: string }) =>
  q.selectFrom('bot_turns').select(['message_id', 'kind', 'intent_id', 'hand_off']).where('conversation_id', '=', p.conversationId).orderBy('created_at', 'desc').limit(1),
);
type TurnRow = { message_id: string; conversation_id: string; channel: string; language: string | null; kind: string; intent_id: string | null; chosen: number; hand_off: string | null; created_at: string };
// A transaction's turns, several per statement right before its commit (an inbox batch plays one per message).
const insertTurns = preparedRows((q, rows: TurnRow[]) =>
  q
    .insertInto('bot_turns')
    .values(
      rows.map((p) => ({
        message_id: p.message_id, conversation_id: p.conversation_id, channel: p.channel, language: p.language, kind: p.kind,
        intent_id: p.intent_id, chosen: p.chosen, hand_off: p.hand_off, created_at: p.created_at,
      })),
    )
    .onConflict((oc) => oc.column('message_id').doNothing()),
);
const startConversation = prepared((q, p: { conversationId: string; channel: string; at: string }) =>
  q
    .insertInto('report_conversations')
    .values({ conversation_id: p.conversationId, channel: p.channel, intent_id: '', started_at: p.at, handled_alone: 0 })
    .onConflict((oc) => oc.column('conversation_id').doNothing()),
);
// An answer's turn: the conversation's row, started by it or already there, records the answer in
// one statement. Its start time tells which: a row this turn started holds the turn's own time
// (a conversation's messages never share a time, see ConversationClock).
const startOrAnswer = prepared((q, p: { conversationId: string; channel: string; at: string; intentId: string; empty: string }) =>
  q
    .insertInto('report_conversations')
    .values({ conversation_id: p.conversationId, channel: p.channel, intent_id: p.intentId, started_at: p.at, last_answer_at: p.at, handled_alone: 1 })
    .onConflict((oc) =>
      oc.column('conversation_id').doUpdateSet((eb) => ({
        last_answer_at: eb.ref('excluded.last_answer_at'),
        handled_alone: 1,
        intent_id: eb.case().when('report_conversations.intent_id', '=', p.empty).then(eb.ref('excluded.intent_id')).else(eb.ref('report_conversations.intent_id')).end(),
      })),
    )
    .returning('started_at'),
);
/**
 * The turns of several conversations, one row each (`mergeTurns`), several per statement: a row
 * with an answer (`last_answer_at`) records it as `startOrAnswer` does, one without only starts the
 * conversation. Rows it started come back with their own start time (RETURNING), as above.
 */
const startOrAnswerRows = preparedRows((q, rows: ConversationRow[]) =>
  q
    .insertInto('report_conversations')
    .values(
      rows.map((p) => ({
        conversation_id: p.conversation_id, channel: p.channel, intent_id: p.intent_id, started_at: p.started_at, last_answer_at: p.last_answer_at, handled_alone: p.handled_alone,
      })),
    )
    .onConflict((oc) =>
      oc
        .column('conversation_id')
        .doUpdateSet((eb) => ({
          last_answer_at: eb.ref('excluded.last_answer_at'),
          handled_alone: 1,
          intent_id: eb.case().when('report_conversations.intent_id', '=', '').then(eb.ref('excluded.intent_id')).else(eb.ref('report_conversations.intent_id')).end(),
        }))
        .where('excluded.last_answer_at', 'is not', null),
    )
    .returning(['conversation_id', 'started_at']),
);
const insertMiss = prepared(
  (q, p: { id: string; message_id: string; conversation_id: string; channel: string; language: string | null; text: string; reason: 'fallback' | 'unanswered_ask' | 'asked_person'; created_at: string }) =>
    q
      .insertInto('bot_misses')
      .values({ id: p.id, message_id: p.message_id, conversation_id: p.conversation_id, channel: p.channel, language: p.language, text: p.text, reason: p.reason, created_at: p.created_at })
      .onConflict((oc) => oc.column('message_id').doNothing()),
);
// A hand-off's conversation row (a fifth of a busy inbox's messages), and its ticket's: compiled once.
const lastAnswerOf = prepared((q, p: { conversationId: string }) => q.selectFrom('report_conversations').select('last_answer_at').where('conversation_id', '=', p.conversationId));
const handedOff = prepared((q, p: { conversationId: string; at: string }) =>
  q.updateTable('report_conversations').set({ handed_off_at: p.at }).where('conversation_id', '=', p.conversationId),
);
// Handed off within a day of the bot's last answer: the bot did not handle it alone.
const handedOffAfterAnswer = prepared((q, p: { conversationId: string; at: string }) =>
  q.updateTable('report_conversations').set({ handed_off_at: p.at, handled_alone: 0 }).where('conversation_id', '=', p.conversationId),
);
const insertReportTicket = prepared((q, p: { ticketId: string; channel: string; intentId: string; createdAt: string }) =>
  q
    .insertInto('report_tickets')
    .values({ ticket_id: p.ticketId, channel: p.channel, intent_id: p.intentId, created_at: p.createdAt })
    .onConflict((oc) => oc.column('ticket_id').doNothing()),
);
type HourlyRow = { metric: string; hour: string; channel: string; intent_id: string; value: number };
type DailyRow = { metric: string; day: string; channel: string; intent_id: string; value: number };
// A transaction's sums, several counters per statement (each counter once: PostgreSQL refuses a
// statement that writes a row twice).
const addHourly = preparedRows((q, rows: HourlyRow[]) =>
  q
    .insertInto('report_hourly')
    .values(rows.map((p) => ({ metric: p.metric, channel: p.channel, intent_id: p.intent_id, value: p.value, hour: p.hour })))
    .onConflict((oc) => oc.columns(['metric', 'hour', 'channel', 'intent_id']).doUpdateSet((eb) => ({ value: eb('report_hourly.value', '+', eb.ref('excluded.value')) }))),
);
const addDaily = preparedRows((q, rows: DailyRow[]) =>
  q
    .insertInto('report_daily')
    .values(rows.map((p) => ({ metric: p.metric, channel: p.channel, intent_id: p.intent_id, value: p.value, day: p.day })))
    .onConflict((oc) => oc.columns(['metric', 'day', 'channel', 'intent_id']).doUpdateSet((eb) => ({ value: eb('report_daily.value', '+', eb.ref('excluded.value')) }))),
);

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

  /** Inside the engine's transaction (its rows and counters are written at the commit). */
  async botTurn(turn: RecordedTurn): Promise<void> {
    const { db } = this;
    // The turn before matters only to an unanswered question or a hand-off (misses it may reveal).
    const needsPrevious = (turn.answersAsk && !turn.chosen) || turn.handOff !== null;
    const previous = needsPrevious ? (this.unwrittenTurnOf(turn.conversationId) ?? (await previousTurn.first(db, { conversationId: turn.conversationId }))) : undefined;
    db.gather(this.writeTurns, {
      message_id: turn.messageId, conversation_id: turn.conversationId, channel: turn.channel, language: turn.language, kind: turn.kind,
      intent_id: turn.intentId, chosen: turn.chosen ? 1 : 0, hand_off: turn.handOff, created_at: turn.at,
    });
    db.gather(this.writeConversations, {
      conversationId: turn.conversationId, channel: turn.channel, at: turn.at,
      answered: turn.kind === 'answer' ? (turn.intentId ?? '') : null, handOff: turn.handOff !== null,
    });
    this.count(turn, 'turn');
    switch (turn.kind) {
      case 'answer':
        this.count(turn, 'answer', turn.intentId);
        if (turn.answersAsk && turn.chosen) this.count(turn, 'ask_answered');
        break;
      case 'ask':
        this.count(turn, 'ask');
        break;
      case 'fallback':
        this.count(turn, 'fallback');
        await this.miss(turn, turn.messageId, turn.text, 'fallback');
        break;
      case 'offer':
        this.count(turn, 'fallback');
        this.count(turn, 'offer');
        await this.miss(turn, turn.messageId, turn.text, 'fallback');
        break;
      case 'accept_person':
        this.count(turn, 'offer_accepted');
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
      this.count(turn, `handoff:${turn.handOff}`, turn.intentId);
      // The user asked for a person right after an answer that did not hand off: that answer missed.
      if (previous?.kind === 'answer' && previous.hand_off === null && previous.intent_id !== turn.intentId) {
        const answered = await this.userMessage(previous.message_id, turn.conversationId);
        if (answered) await this.miss(turn, answered.id, answered.text, 'asked_person');
      }
    }
  }

  /**
   * Right before the commit: the conversations' report rows, one per conversation, several per
   * statement. A conversation handed off in the transaction has its turns written one by one, in
   * order, as the hand-off reads the row its earlier turns left.
   */
  private readonly writeConversations = async (turns: ConversationTurn[]): Promise<void> => {
    const byConversation = new Map<string, ConversationTurn[]>();
    for (const turn of turns) {
      const of = byConversation.get(turn.conversationId);
      if (of) of.push(turn);
      else byConversation.set(turn.conversationId, [turn]);
    }
    const rows = new Map<string, ConversationRow>();
    for (const [conversationId, of] of byConversation) {
      if (of.some((turn) => turn.handOff)) for (const turn of of) await this.writeConversationTurn(turn);
      else rows.set(conversationId, mergeTurns(of));
    }
    if (rows.size === 0) return;
    for (const { result } of await startOrAnswerRows.insert(this.db, [...rows.values()])) {
      for (const { conversation_id, started_at } of result.rows) {
        const row = rows.get(conversation_id);
        if (row && started_at === row.started_at) this.add('conversation', started_at, row.channel, null, 1);
      }
    }
  };

  /** One turn's effect on its conversation's row (a conversation handed off). */
  private async writeConversationTurn(turn: ConversationTurn): Promise<void> {
    const { db } = this;
    const conversation = { conversationId: turn.conversationId, channel: turn.channel, at: turn.at };
    const started =
      turn.answered !== null
        ? (await startOrAnswer.first(db, { ...conversation, intentId: turn.answered, empty: '' }))?.started_at === turn.at
        : (await startConversation.run(db, conversation)) > 0;
    if (started) this.add('conversation', turn.at, turn.channel, null, 1);
    if (!turn.handOff) return;
    const row = await lastAnswerOf.first(db, { conversationId: turn.conversationId });
    const within24h = row?.last_answer_at != null && Date.parse(turn.at) - Date.parse(row.last_answer_at) <= DAY_MS;
    await (within24h ? handedOffAfterAnswer : handedOff).run(db, { conversationId: turn.conversationId, at: turn.at });
  }

  /** Right before the commit: the transaction's turns, in the order played. */
  private readonly writeTurns = async (rows: TurnRow[]): Promise<void> => {
    await insertTurns.insert(this.db, rows);
  };

  /**
   * The conversation's latest turn played in this transaction and not written yet (it is written at
   * the commit): a conversation's turns are played in order, so it is the newest of its turns.
   */
  private unwrittenTurnOf(conversationId: string): Pick<TurnRow, 'message_id' | 'kind' | 'intent_id' | 'hand_off'> | undefined {
    const rows = this.db.gathered(this.writeTurns);
    for (let i = rows.length - 1; i >= 0; i -= 1) if ((rows[i] as TurnRow).conversation_id === conversationId) return rows[i];
    return undefined;
  }

  /** Ticket events being recorded (reports wait for them: see `settled`). */
  private readonly recording = new Set<Promise<void>>();

  /** Tickets whose creation a committed transaction recorded itself (`handOffTicket`): their event records nothing more. */
  private readonly recordedWithTicket = new Set<string>();

  /**
   * Inside the transaction that opens the ticket (a hand-off in an inbox batch): its report row goes
   * in with it, and its counters join the batch's, written once at the commit. After its event, a
   * transaction of its own did this, one more commit for each batch with a hand-off.
   */
  async handOffTicket(ticket: Ticket): Promise<void> {
    await this.ticketCreated(ticket);
    this.db.afterCommit(() => this.recordedWithTicket.add(ticket.id));
  }

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
    events.on('ticket.created', ({ ticket }) => {
      if (!this.recordedWithTicket.delete(ticket.id)) record(() => this.ticketCreated(ticket));
    });
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
    const inserted = await insertReportTicket.run(this.db, { ticketId: ticket.id, channel: ticket.channel, intentId: ticket.intentId ?? '', createdAt: ticket.createdAt });
    if (inserted === 0) return;
    this.add('ticket_created', ticket.createdAt, ticket.channel, ticket.intentId, 1);
    await this.enterStatus(ticket, ticket.status, ticket.createdAt, 1);
  }

  /** `actorId`: the agent who changed it (the solver); the assignee when the change was not an agent's. */
  async ticketStatusChanged(previous: Ticket, ticket: Ticket, actorId: string | null): Promise<void> {
    const at = (ticket.status === 'solved' ? ticket.solvedAt : null) ?? ticket.updatedAt;
    await this.enterStatus(ticket, previous.status, at, -1);
    await this.enterStatus(ticket, ticket.status, at, 1);
    if (ticket.status === 'solved') {
      this.add('ticket_solved', at, ticket.channel, ticket.intentId, 1);
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
    this.add(`status:${status}`, at, ticket.channel, ticket.intentId, delta);
  }

  private async miss(turn: RecordedTurn, messageId: string, text: string, reason: 'fallback' | 'unanswered_ask' | 'asked_person'): Promise<void> {
    if (text.trim() === '') return;
    await insertMiss.run(this.db, { id: timeOrderedId(), message_id: messageId, conversation_id: turn.conversationId, channel: turn.channel, language: turn.language, text, reason, created_at: turn.at });
  }

  /** One more of `metric` at the turn's hour. */
  private count(turn: RecordedTurn, metric: string, intentId: string | null = null): void {
    this.add(metric, turn.at, turn.channel, intentId, 1);
  }

  /**
   * Adds to the hour's counter (kept for a change of time zone) and to the local day's (what reports
   * read). The additions of one transaction are summed and written once, before its commit: an inbox
   * batch counts the same few counters for every message it stores.
   */
  private add(metric: string, at: string, channel: string, intentId: string | null, value: number): void {
    this.db.gather(this.writeCounters, { metric, hour: hourOf(at), channel, intentId: intentId ?? '', value });
  }

  private readonly writeCounters = async (deltas: CounterDelta[]): Promise<void> => {
    const hourly = new Map<string, HourlyRow>();
    for (const delta of deltas) {
      const key = `${delta.metric}\u0000${delta.hour}\u0000${delta.channel}\u0000${delta.intentId}`;
      const sum = hourly.get(key);
      if (sum) sum.value += delta.value;
      else hourly.set(key, { metric: delta.metric, hour: delta.hour, channel: delta.channel, intent_id: delta.intentId, value: delta.value });
    }
    const daily = new Map<string, DailyRow>();
    for (const sum of hourly.values()) {
      const day = await this.zone.dayOfHour(sum.hour);
      const key = `${sum.metric}\u0000${day}\u0000${sum.channel}\u0000${sum.intent_id}`;
      const total = daily.get(key);
      if (total) total.value += sum.value;
      else daily.set(key, { metric: sum.metric, day, channel: sum.channel, intent_id: sum.intent_id, value: sum.value });
    }
    await addHourly.insert(this.db, [...hourly.values()]);
    await addDaily.insert(this.db, [...daily.values()]);
  };
}
