import { randomUUID } from 'node:crypto';
import type { AuthorKind, Channel, Ticket, TicketFilter, TicketPriority, TicketStatus } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
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

const escapeLike = (text: string) => `%${text.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;

export class TicketsRepo {
  private readonly byId;

  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
  ) {
    // With the conversation's language: the PWA inserts canned replies in it.
    this.byId = statement(db, 'SELECT t.*, (SELECT language FROM conversations WHERE id = t.conversation_id) AS language FROM tickets t WHERE t.id = ?');
  }

  get(id: string): Ticket | null {
    const row = this.byId.get(id) as TicketRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Call inside a transaction: the number is the next one in sequence. */
  create(input: NewTicket): Ticket {
    const now = this.clock();
    const id = randomUUID();
    const { next } = statement(this.db, 'SELECT COALESCE(MAX(number), 0) + 1 AS next FROM tickets').get() as { next: number };
    statement(
      this.db,
      `INSERT INTO tickets (id, number, subject, status, priority, tags, assignee_id, contact_id, channel,
           conversation_id, intent_id, intent_confidence, created_at, updated_at, solved_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      next,
      input.subject,
      input.status,
      input.priority,
      JSON.stringify(input.tags),
      input.assigneeId,
      input.contactId,
      input.channel,
      input.conversationId,
      input.intentId,
      input.intentConfidence,
      now,
      now,
      input.status === 'solved' ? now : null,
    );
    return this.recorded(id);
  }

  /** Stores the fields agents change; the caller has checked them against the ticket rules. */
  save(ticket: Pick<Ticket, 'id' | 'status' | 'priority' | 'assigneeId' | 'tags' | 'solvedAt'>): Ticket {
    statement(
      this.db,
      'UPDATE tickets SET status = ?, priority = ?, assignee_id = ?, tags = ?, solved_at = ?, updated_at = ? WHERE id = ?',
    ).run(ticket.status, ticket.priority, ticket.assigneeId, JSON.stringify(ticket.tags), ticket.solvedAt, this.clock(), ticket.id);
    return this.recorded(ticket.id);
  }

  /** A new message in the ticket moves it up the queue. */
  touch(id: string): Ticket {
    statement(this.db, 'UPDATE tickets SET updated_at = ? WHERE id = ?').run(this.clock(), id);
    return this.recorded(id);
  }

  list(filter: TicketFilter, page: { limit: number; offset: number }): { tickets: TicketListItem[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.statuses.length > 0) {
      where.push(`t.status IN (${filter.statuses.map(() => '?').join(',')})`);
      params.push(...filter.statuses);
    }
    if (filter.priorities.length > 0) {
      where.push(`t.priority IN (${filter.priorities.map(() => '?').join(',')})`);
      params.push(...filter.priorities);
    }
    if (filter.assignees.length > 0) {
      const ids = filter.assignees.filter((a) => a !== 'none');
      const parts: string[] = [];
      if (ids.length > 0) {
        parts.push(`t.assignee_id IN (${ids.map(() => '?').join(',')})`);
        params.push(...ids);
      }
      if (filter.assignees.includes('none')) parts.push('t.assignee_id IS NULL');
      where.push(`(${parts.join(' OR ')})`);
    }
    const text = filter.text.trim();
    if (text) {
      const like = escapeLike(text);
      const number = /^#?(\d+)$/.exec(text)?.[1];
      where.push(`(t.subject LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\' OR c.phone LIKE ? ESCAPE '\\'
        OR t.number = ? OR EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.text LIKE ? ESCAPE '\\'))`);
      params.push(like, like, like, number ? Number(number) : -1, like);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const { total } = statement(
      this.db,
      `SELECT COUNT(*) AS total FROM tickets t JOIN contacts c ON c.id = t.contact_id ${clause}`,
    ).get(...params) as { total: number };
    const rows = statement(
      this.db,
      `SELECT t.*, c.name AS requester_name, c.phone AS requester_phone,
           m.text AS last_text, m.author_kind AS last_author, m.created_at AS last_at
         FROM tickets t
         JOIN contacts c ON c.id = t.contact_id
         LEFT JOIN messages m ON m.rowid = (SELECT MAX(rowid) FROM messages WHERE ticket_id = t.id)
         ${clause}
         ORDER BY t.updated_at DESC, t.number DESC
         LIMIT ? OFFSET ?`,
    ).all(...params, page.limit, page.offset) as ListRow[];
    return {
      total,
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

  private recorded(id: string): Ticket {
    const ticket = this.get(id) as Ticket;
    this.changes.record('ticket', id, 'put', ticket);
    return ticket;
  }
}
