import { sql } from 'kysely';
import { type AuthorKind, type Channel, type Ticket, type TicketFilter, type TicketPriority, type TicketStatus, timeOrderedId } from '@desk/core';
import type { Db } from '../db/database.ts';
import { containsPattern, likeText } from '../db/dialect-sql.ts';
import { prepared } from '../db/prepared.ts';
import type { ConversationClock } from '../conversations/conversation-clock.ts';
import type { Clock } from '../shared/clock.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';

interface TicketRow {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  tags: string;
  assignee_id: string | null;
  contact_id: string;
  channel: Channel;
  conversation_id: string;
  intent_id: string | null;
  intent_confidence: number | null;
  created_at: string;
  updated_at: string;
  solved_at: string | null;
  /** The conversation's language, where the query joins it (a single ticket's read). */
  language?: string | null;
}

interface ListRow extends TicketRow {
  requester_name: string;
  requester_phone: string | null;
  last_text: string | null;
  last_author: AuthorKind | null;
  last_at: string | null;
}

/** A ticket as the list shows it: who asked and the latest message, so no second request is needed. */
export interface TicketListItem extends Ticket {
  requester: { name: string; phone: string | null };
  lastMessage: { text: string; authorKind: AuthorKind; createdAt: string } | null;
}

export interface NewTicket {
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  tags: string[];
  assigneeId: string | null;
  contactId: string;
  channel: Channel;
  conversationId: string;
  intentId: string | null;
  intentConfidence: number | null;
}

function fromRow(row: TicketRow): Ticket {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    tags: JSON.parse(row.tags) as string[],
    assigneeId: row.assignee_id,
    contactId: row.contact_id,
    channel: row.channel,
    conversationId: row.conversation_id,
    intentId: row.intent_id,
    intentConfidence: row.intent_confidence,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    solvedAt: row.solved_at,
    ...(row.language !== undefined && { language: row.language }),
  };
}

const ticketById = prepared((q, p: { id: string }) =>
  q
    .selectFrom('tickets as t')
    .selectAll('t')
    .select((eb) => eb.selectFrom('conversations').select('language').whereRef('conversations.id', '=', 't.conversation_id').as('language'))
    .where('t.id', '=', p.id),
);
const saveTicket = prepared((q, p: Pick<TicketRow, 'id' | 'status' | 'priority' | 'assignee_id' | 'tags' | 'solved_at' | 'updated_at'>) =>
  q
    .updateTable('tickets')
    .set({ status: p.status, priority: p.priority, assignee_id: p.assignee_id, tags: p.tags, solved_at: p.solved_at, updated_at: p.updated_at })
    .where('id', '=', p.id),
);
// A hand-off opens its ticket inside the inbox batch (a fifth of a busy inbox's messages): compiled once.
const nextTicketNumber = prepared((q, _: Record<string, never>) => q.selectFrom('tickets').select(sql<number>`COALESCE(MAX(number), 0) + 1`.as('next')));
type NewTicketRow = Omit<TicketRow, 'language'>;
const insertTicket = prepared((q, p: NewTicketRow) =>
  q.insertInto('tickets').values({
    id: p.id, number: p.number, subject: p.subject, status: p.status, priority: p.priority, tags: p.tags, assignee_id: p.assignee_id, contact_id: p.contact_id,
    channel: p.channel, conversation_id: p.conversation_id, intent_id: p.intent_id, intent_confidence: p.intent_confidence,
    created_at: p.created_at, updated_at: p.updated_at, solved_at: p.solved_at,
  }),
);
const touchTicket = prepared((q, p: { id: string; updatedAt: string }) => q.updateTable('tickets').set({ updated_at: p.updatedAt }).where('id', '=', p.id));

export class TicketsRepo {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
    /** A ticket opens in its conversation's order: after the messages before it, before the ones after (the PWA splits there). */
    private readonly conversationClock: ConversationClock = clock,
  ) {}

  /** With the conversation's language: the PWA inserts canned replies in it. */
  async get(id: string): Promise<Ticket | null> {
    const row = await ticketById.first(this.db, { id });
    return row ? fromRow(row as TicketRow) : null;
  }

  /** Call inside a transaction: the number is the next one in sequence. */
  async create(input: NewTicket): Promise<Ticket> {
    const now = this.conversationClock(input.conversationId);
    const id = timeOrderedId();
    // Numbers come from the highest so far; on PostgreSQL two instances could read the same one, so
    // the insert takes the change-log writers' turn first (writers are serialised there anyway).
    await this.db.serialiseLogWriters();
    const { next } = (await nextTicketNumber.first(this.db, {})) as { next: number };
    await insertTicket.run(this.db, {
      id,
      number: Number(next),
      subject: input.subject,
      status: input.status,
      priority: input.priority,
      tags: JSON.stringify(input.tags),
      assignee_id: input.assigneeId,
      contact_id: input.contactId,
      channel: input.channel,
      conversation_id: input.conversationId,
      intent_id: input.intentId,
      intent_confidence: input.intentConfidence,
      created_at: now,
      updated_at: now,
      solved_at: input.status === 'solved' ? now : null,
    });
    return this.recorded(id);
  }

  /**
   * Stores the fields agents change; the caller has checked them against the ticket rules. `ticket` is
   * the whole ticket as this transaction read it (`get`), changed: it is logged with its new time as it
   * is, without reading it back.
   */
  async save(ticket: Ticket): Promise<Ticket> {
    const updatedAt = this.clock();
    await saveTicket.run(this.db, {
      id: ticket.id,
      status: ticket.status,
      priority: ticket.priority,
      assignee_id: ticket.assigneeId,
      tags: JSON.stringify(ticket.tags),
      solved_at: ticket.solvedAt,
      updated_at: updatedAt,
    });
    return this.stored(ticket, updatedAt);
  }

  /** A new message in the ticket moves it up the queue. `current`: the ticket as this transaction read it. */
  async touch(id: string, current?: Ticket): Promise<Ticket> {
    const updatedAt = this.clock();
    await touchTicket.run(this.db, { id, updatedAt });
    return current ? this.stored(current, updatedAt) : this.recorded(id);
  }

  async list(filter: TicketFilter, page: { limit: number; offset: number }): Promise<{ tickets: TicketListItem[]; total: number }> {
    const { dialect } = this.db;
    let base = this.db.q.selectFrom('tickets as t').innerJoin('contacts as c', 'c.id', 't.contact_id');
    if (filter.statuses.length > 0) base = base.where('t.status', 'in', filter.statuses);
    if (filter.priorities.length > 0) base = base.where('t.priority', 'in', filter.priorities);
    if (filter.assignees.length > 0) {
      const ids = filter.assignees.filter((a) => a !== 'none');
      const none = filter.assignees.includes('none');
      base = base.where((eb) => {
        const parts = [];
        if (ids.length > 0) parts.push(eb('t.assignee_id', 'in', ids));
        if (none) parts.push(eb('t.assignee_id', 'is', null));
        return eb.or(parts);
      });
    }
    const text = filter.text.trim();
    if (text) {
      const like = containsPattern(text);
      const number = /^#?(\d+)$/.exec(text)?.[1];
      base = base.where((eb) =>
        eb.or([
          likeText(dialect, sql.ref('t.subject'), like),
          likeText(dialect, sql.ref('c.name'), like),
          likeText(dialect, sql.ref('c.phone'), like),
          eb('t.number', '=', number ? Number(number) : -1),
          eb.exists(eb.selectFrom('messages as m').select('m.id').whereRef('m.ticket_id', '=', 't.id').where(likeText(dialect, sql.ref('m.text'), like))),
        ]),
      );
    }
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = (await base
      .leftJoin('messages as m', (join) =>
        join.on('m.rowid', '=', (eb) => eb.selectFrom('messages').select((e) => e.fn.max('rowid').as('r')).whereRef('ticket_id', '=', 't.id')),
      )
      .selectAll('t')
      .select(['c.name as requester_name', 'c.phone as requester_phone', 'm.text as last_text', 'm.author_kind as last_author', 'm.created_at as last_at'])
      .orderBy('t.updated_at', 'desc')
      .orderBy('t.number', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute()) as ListRow[];
    return {
      total: Number(total),
      tickets: rows.map((row) => ({
        ...fromRow(row),
        requester: { name: row.requester_name, phone: row.requester_phone },
        lastMessage:
          row.last_text !== null && row.last_author && row.last_at
            ? { text: row.last_text, authorKind: row.last_author, createdAt: row.last_at }
            : null,
      })),
    };
  }

  /** Logs a ticket this transaction read and has just written (a ticket read without its language is read again). */
  private async stored(ticket: Ticket, updatedAt: string): Promise<Ticket> {
    if (ticket.language === undefined) return this.recorded(ticket.id);
    const written = { ...ticket, updatedAt };
    await this.changes.record('ticket', written.id, 'put', written);
    return written;
  }

  private async recorded(id: string): Promise<Ticket> {
    const ticket = (await this.get(id)) as Ticket;
    await this.changes.record('ticket', id, 'put', ticket);
    return ticket;
  }
}
