import { randomUUID } from 'node:crypto';
import type { ExternalDestination, IntentTicketStatus, TicketPriority } from '@desk/core';
import type { Db } from '../../db/database.ts';
import { statement } from '../../db/statements.ts';

export interface HandOff {
  id: string;
  conversationId: string;
  destination: ExternalDestination;
  state: 'open' | 'closed';
  intentId: string | null;
  subject: string;
  tags: string[];
  status: IntentTicketStatus;
  priority: TicketPriority;
  groupId: number | null;
  /** The messages the agent gets as the bot transcript, in order. */
  transcript: string[];
  /** Sent with the ticket create: a retried create answers the first ticket instead of a second. */
  idempotencyKey: string;
  requesterId: number | null;
  zendeskTicketId: number | null;
  sunshineConversationId: string | null;
  /** How many transcript messages were already posted to the Sunshine conversation. */
  transcriptPosted: number;
  firstMessageId: string | null;
  createdAt: string;
}

interface HandOffRow {
  id: string;
  conversation_id: string;
  destination: ExternalDestination;
  state: 'open' | 'closed';
  intent_id: string | null;
  subject: string;
  tags: string;
  status: IntentTicketStatus;
  priority: TicketPriority;
  group_id: number | null;
  transcript: string;
  idempotency_key: string;
  requester_id: number | null;
  zendesk_ticket_id: number | null;
  sunshine_conversation_id: string | null;
  transcript_posted: number;
  first_message_id: string | null;
  created_at: string;
}

function fromRow(row: HandOffRow): HandOff {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    destination: row.destination,
    state: row.state,
    intentId: row.intent_id,
    subject: row.subject,
    tags: JSON.parse(row.tags) as string[],
    status: row.status,
    priority: row.priority,
    groupId: row.group_id,
    transcript: JSON.parse(row.transcript) as string[],
    idempotencyKey: row.idempotency_key,
    requesterId: row.requester_id,
    zendeskTicketId: row.zendesk_ticket_id,
    sunshineConversationId: row.sunshine_conversation_id,
    transcriptPosted: row.transcript_posted,
    firstMessageId: row.first_message_id,
    createdAt: row.created_at,
  };
}

export type HandOffJobKind = 'open' | 'forward' | 'sync';

export interface HandOffJob {
  id: number;
  handoff_id: string;
  kind: HandOffJobKind;
  /** `outbound` (open, forward) and `inbound` (sync) run independently: a rate-limited forward never delays an agent's reply. */
  lane: 'outbound' | 'inbound';
  message_id: string | null;
  state: 'pending' | 'done' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
}

const FIRST_IN_LINE = `NOT EXISTS (SELECT 1 FROM handoff_jobs e WHERE e.state = 'pending' AND e.handoff_id = j.handoff_id AND e.lane = j.lane AND e.id < j.id)`;

type Patch = Partial<Pick<HandOff, 'requesterId' | 'zendeskTicketId' | 'sunshineConversationId' | 'transcriptPosted' | 'firstMessageId' | 'state'>>;
const COLUMNS: Record<keyof Patch, string> = {
  requesterId: 'requester_id',
  zendeskTicketId: 'zendesk_ticket_id',
  sunshineConversationId: 'sunshine_conversation_id',
  transcriptPosted: 'transcript_posted',
  firstMessageId: 'first_message_id',
  state: 'state',
};

/** Hand-offs to Zendesk, their durable job queue, the ticket-update window and what was relayed. */
export class HandOffsRepo {
  constructor(private readonly db: Db) {}

  create(input: Omit<HandOff, 'id' | 'idempotencyKey' | 'requesterId' | 'zendeskTicketId' | 'transcriptPosted' | 'firstMessageId' | 'createdAt'>, now: string): HandOff {
    const id = randomUUID();
    statement(
      this.db,
      `INSERT INTO external_handoffs (id, conversation_id, destination, state, intent_id, subject, tags, status, priority, group_id,
         transcript, idempotency_key, sunshine_conversation_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      input.conversationId,
      input.destination,
      input.state,
      input.intentId,
      input.subject,
      JSON.stringify(input.tags),
      input.status,
      input.priority,
      input.groupId,
      JSON.stringify(input.transcript),
      `desk-${id}`,
      input.sunshineConversationId,
      now,
      now,
    );
    return this.get(id) as HandOff;
  }

  get(id: string): HandOff | null {
    const row = statement(this.db, 'SELECT * FROM external_handoffs WHERE id = ?').get(id) as HandOffRow | undefined;
    return row ? fromRow(row) : null;
  }

  openFor(conversationId: string): HandOff | null {
    const row = statement(this.db, "SELECT * FROM external_handoffs WHERE conversation_id = ? AND state = 'open'").get(conversationId) as HandOffRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** When the conversation's latest hand-off began: its transcript starts after that. */
  lastStartedAt(conversationId: string): string | null {
    const row = statement(this.db, 'SELECT MAX(created_at) AS at FROM external_handoffs WHERE conversation_id = ?').get(conversationId) as { at: string | null };
    return row.at;
  }

  /** Every hand-off of a contact's conversations, newest first. */
  forContact(contactId: string): HandOff[] {
    const rows = statement(
      this.db,
      'SELECT h.* FROM external_handoffs h JOIN conversations c ON c.id = h.conversation_id WHERE c.contact_id = ? ORDER BY h.created_at DESC',
    ).all(contactId) as HandOffRow[];
    return rows.map(fromRow);
  }

  byTicket(ticketId: number): HandOff | null {
    const row = statement(this.db, 'SELECT * FROM external_handoffs WHERE zendesk_ticket_id = ? ORDER BY created_at DESC').get(ticketId) as HandOffRow | undefined;
    return row ? fromRow(row) : null;
  }

  bySunshineConversation(conversationId: string): HandOff | null {
    const row = statement(this.db, "SELECT * FROM external_handoffs WHERE sunshine_conversation_id = ? AND destination = 'zendesk_messaging' ORDER BY state DESC, created_at DESC").get(
      conversationId,
    ) as HandOffRow | undefined;
    return row ? fromRow(row) : null;
  }

  update(id: string, patch: Patch, now: string): void {
    const entries = Object.entries(patch) as [keyof Patch, unknown][];
    if (entries.length === 0) return;
    const sets = entries.map(([key]) => `${COLUMNS[key]} = ?`).join(', ');
    statement(this.db, `UPDATE external_handoffs SET ${sets}, updated_at = ? WHERE id = ?`).run(...entries.map(([, v]) => v), now, id);
  }

  enqueue(handoffId: string, kind: HandOffJobKind, messageId: string | null, now: string): void {
    statement(
      this.db,
      `INSERT INTO handoff_jobs (handoff_id, kind, lane, message_id, state, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
    ).run(handoffId, kind, kind === 'sync' ? 'inbound' : 'outbound', messageId, now, now, now);
  }

  due(now: string, limit = 50): HandOffJob[] {
    return statement(
      this.db,
      `SELECT * FROM handoff_jobs j WHERE state = 'pending' AND next_attempt_at <= ? AND ${FIRST_IN_LINE} ORDER BY next_attempt_at, id LIMIT ?`,
    ).all(now, limit) as HandOffJob[];
  }

  nextDueAt(): string | null {
    return (statement(this.db, `SELECT MIN(next_attempt_at) AS at FROM handoff_jobs j WHERE state = 'pending' AND ${FIRST_IN_LINE}`).get() as { at: string | null }).at;
  }

  /** The forwards waiting in this hand-off's queue, oldest first: a burst goes out as one comment. */
  pendingForwards(handoffId: string): HandOffJob[] {
    return statement(this.db, "SELECT * FROM handoff_jobs WHERE handoff_id = ? AND kind = 'forward' AND state = 'pending' ORDER BY id").all(handoffId) as HandOffJob[];
  }

  markDone(ids: number[], now: string): void {
    const done = statement(this.db, "UPDATE handoff_jobs SET state = 'done', attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE id = ?");
    for (const id of ids) done.run(now, id);
  }

  retryLater(id: number, attempts: number, error: string, at: string, now: string): void {
    statement(this.db, 'UPDATE handoff_jobs SET attempts = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?').run(attempts, error, at, now, id);
  }

  markFailed(ids: number[], error: string, now: string): void {
    const failed = statement(this.db, "UPDATE handoff_jobs SET state = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ?");
    for (const id of ids) failed.run(error, now, id);
  }

  /** Drops what is still queued for a hand-off that ended (nothing more goes to that ticket). */
  dropPending(handoffId: string, kind: HandOffJobKind, now: string): void {
    statement(this.db, "UPDATE handoff_jobs SET state = 'done', last_error = 'The hand-off ended.', updated_at = ? WHERE handoff_id = ? AND kind = ? AND state = 'pending'").run(
      now,
      handoffId,
      kind,
    );
  }

  recordTicketUpdate(ticketId: number, at: string): void {
    statement(this.db, 'INSERT INTO zendesk_ticket_updates (ticket_id, at) VALUES (?, ?)').run(ticketId, at);
  }

  /** Desk's updates of a ticket since `since`: how many, and when the oldest was. */
  ticketUpdatesSince(ticketId: number, since: string): { count: number; oldest: string | null } {
    return statement(this.db, 'SELECT COUNT(*) AS count, MIN(at) AS oldest FROM zendesk_ticket_updates WHERE ticket_id = ? AND at > ?').get(ticketId, since) as {
      count: number;
      oldest: string | null;
    };
  }

  wasRelayed(handoffId: string, remoteId: string): boolean {
    return statement(this.db, 'SELECT 1 FROM handoff_relayed WHERE handoff_id = ? AND remote_id = ?').get(handoffId, remoteId) !== undefined;
  }

  rememberRelayed(handoffId: string, remoteId: string, messageId: string): void {
    statement(this.db, 'INSERT INTO handoff_relayed (handoff_id, remote_id, message_id) VALUES (?, ?, ?)').run(handoffId, remoteId, messageId);
  }
}
