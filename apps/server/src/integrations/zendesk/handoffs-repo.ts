import { type ExternalDestination, type IntentTicketStatus, type TicketPriority, timeOrderedId } from '@desk/core';
import type { Db } from '../../db/database.ts';
import { sql } from 'kysely';
import { type JobLease, leaseEnd } from '../../jobs/job-lease.ts';

const NO_LEASE = { lease_owner: null, lease_until: null };

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
    groupId: row.group_id === null ? null : Number(row.group_id),
    transcript: JSON.parse(row.transcript) as string[],
    idempotencyKey: row.idempotency_key,
    requesterId: row.requester_id === null ? null : Number(row.requester_id),
    zendeskTicketId: row.zendesk_ticket_id === null ? null : Number(row.zendesk_ticket_id),
    sunshineConversationId: row.sunshine_conversation_id,
    transcriptPosted: Number(row.transcript_posted),
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

const FIRST_IN_LINE = sql<boolean>`NOT EXISTS (SELECT 1 FROM handoff_jobs e WHERE e.state = 'pending' AND e.handoff_id = j.handoff_id AND e.lane = j.lane AND e.id < j.id)`;

type Patch = Partial<Pick<HandOff, 'requesterId' | 'zendeskTicketId' | 'sunshineConversationId' | 'transcriptPosted' | 'firstMessageId' | 'state'>>;

const jobOf = (row: HandOffJob): HandOffJob => ({ ...row, id: Number(row.id), attempts: Number(row.attempts) });

/** Hand-offs to Zendesk, their durable job queue, the ticket-update window and what was relayed. */
export class HandOffsRepo {
  constructor(private readonly db: Db) {}

  async create(input: Omit<HandOff, 'id' | 'idempotencyKey' | 'requesterId' | 'zendeskTicketId' | 'transcriptPosted' | 'firstMessageId' | 'createdAt'>, now: string): Promise<HandOff> {
    const id = timeOrderedId();
    await this.db.q
      .insertInto('external_handoffs')
      .values({
        id,
        conversation_id: input.conversationId,
        destination: input.destination,
        state: input.state,
        intent_id: input.intentId,
        subject: input.subject,
        tags: JSON.stringify(input.tags),
        status: input.status,
        priority: input.priority,
        group_id: input.groupId,
        transcript: JSON.stringify(input.transcript),
        idempotency_key: `desk-${id}`,
        requester_id: null,
        zendesk_ticket_id: null,
        sunshine_conversation_id: input.sunshineConversationId,
        first_message_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return (await this.get(id)) as HandOff;
  }

  private one(row: unknown): HandOff | null {
    return row ? fromRow(row as HandOffRow) : null;
  }

  async get(id: string): Promise<HandOff | null> {
    return this.one(await this.db.q.selectFrom('external_handoffs').selectAll().where('id', '=', id).executeTakeFirst());
  }

  async openFor(conversationId: string): Promise<HandOff | null> {
    return this.one(
      await this.db.q.selectFrom('external_handoffs').selectAll().where('conversation_id', '=', conversationId).where('state', '=', 'open').executeTakeFirst(),
    );
  }

  /** When the conversation's latest hand-off began: its transcript starts after that. */
  async lastStartedAt(conversationId: string): Promise<string | null> {
    const row = await this.db.q
      .selectFrom('external_handoffs')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return row?.at ?? null;
  }

  /** Every hand-off of a contact's conversations, newest first. */
  async forContact(contactId: string): Promise<HandOff[]> {
    const rows = await this.db.q
      .selectFrom('external_handoffs as h')
      .innerJoin('conversations as c', 'c.id', 'h.conversation_id')
      .selectAll('h')
      .where('c.contact_id', '=', contactId)
      .orderBy('h.created_at', 'desc')
      .execute();
    return rows.map((row) => fromRow(row as HandOffRow));
  }

  async byTicket(ticketId: number): Promise<HandOff | null> {
    return this.one(
      await this.db.q.selectFrom('external_handoffs').selectAll().where('zendesk_ticket_id', '=', ticketId).orderBy('created_at', 'desc').executeTakeFirst(),
    );
  }

  async bySunshineConversation(conversationId: string): Promise<HandOff | null> {
    return this.one(
      await this.db.q
        .selectFrom('external_handoffs')
        .selectAll()
        .where('sunshine_conversation_id', '=', conversationId)
        .where('destination', '=', 'zendesk_messaging')
        .orderBy('state', 'desc')
        .orderBy('created_at', 'desc')
        .executeTakeFirst(),
    );
  }

  async update(id: string, patch: Patch, now: string): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.q
      .updateTable('external_handoffs')
      .set({
        ...(patch.requesterId !== undefined && { requester_id: patch.requesterId }),
        ...(patch.zendeskTicketId !== undefined && { zendesk_ticket_id: patch.zendeskTicketId }),
        ...(patch.sunshineConversationId !== undefined && { sunshine_conversation_id: patch.sunshineConversationId }),
        ...(patch.transcriptPosted !== undefined && { transcript_posted: patch.transcriptPosted }),
        ...(patch.firstMessageId !== undefined && { first_message_id: patch.firstMessageId }),
        ...(patch.state !== undefined && { state: patch.state }),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async enqueue(handoffId: string, kind: HandOffJobKind, messageId: string | null, now: string): Promise<void> {
    await this.db.q
      .insertInto('handoff_jobs')
      .values({
        handoff_id: handoffId,
        kind,
        lane: kind === 'sync' ? 'inbound' : 'outbound',
        message_id: messageId,
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  /**
   * Claims due jobs no instance holds that are first in line in their hand-off and lane (FOR UPDATE
   * SKIP LOCKED on PostgreSQL; see jobs/job-lease.ts).
   */
  async claim(now: string, limit: number, lease: JobLease): Promise<HandOffJob[]> {
    return this.db.transaction(
      async (q) => {
        let due = q
          .selectFrom('handoff_jobs as j')
          .select('j.id')
          .where('j.state', '=', 'pending')
          .where('j.next_attempt_at', '<=', now)
          .where((eb) => eb.or([eb('j.lease_until', 'is', null), eb('j.lease_until', '<=', now)]))
          .where(FIRST_IN_LINE)
          .orderBy('j.next_attempt_at')
          .orderBy('j.id')
          .limit(limit);
        if (this.db.dialect === 'postgres') due = due.forUpdate().skipLocked();
        const ids = (await due.execute()).map((r) => r.id);
        if (ids.length === 0) return [];
        const rows = await q
          .updateTable('handoff_jobs')
          .set({ lease_owner: lease.owner, lease_until: leaseEnd(now, lease) })
          .where('id', 'in', ids)
          .returning(['id', 'handoff_id', 'kind', 'lane', 'message_id', 'state', 'attempts', 'next_attempt_at', 'last_error'])
          .execute();
        return rows.map(jobOf).sort((a, b) => a.next_attempt_at.localeCompare(b.next_attempt_at) || a.id - b.id);
      },
      { lock: false },
    );
  }

  async nextDueAt(): Promise<string | null> {
    const row = await this.db.q
      .selectFrom('handoff_jobs as j')
      .select(sql<string | null>`MIN(CASE WHEN j.lease_until > j.next_attempt_at THEN j.lease_until ELSE j.next_attempt_at END)`.as('at'))
      .where('state', '=', 'pending')
      .where(FIRST_IN_LINE)
      .executeTakeFirst();
    return row?.at ?? null;
  }

  /** The forwards waiting in this hand-off's queue, oldest first: a burst goes out as one comment. */
  async pendingForwards(handoffId: string): Promise<HandOffJob[]> {
    const rows = await this.db.q
      .selectFrom('handoff_jobs')
      .select(['id', 'handoff_id', 'kind', 'lane', 'message_id', 'state', 'attempts', 'next_attempt_at', 'last_error'])
      .where('handoff_id', '=', handoffId)
      .where('kind', '=', 'forward')
      .where('state', '=', 'pending')
      .orderBy('id')
      .execute();
    return rows.map(jobOf);
  }

  async markDone(ids: number[], now: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.q
      .updateTable('handoff_jobs')
      .set((eb) => ({ state: 'done', attempts: eb('attempts', '+', 1), last_error: null, updated_at: now, ...NO_LEASE }))
      .where('id', 'in', ids)
      .execute();
  }

  async retryLater(id: number, attempts: number, error: string, at: string, now: string): Promise<void> {
    await this.db.q.updateTable('handoff_jobs').set({ attempts, last_error: error, next_attempt_at: at, updated_at: now, ...NO_LEASE }).where('id', '=', id).execute();
  }

  async markFailed(ids: number[], error: string, now: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.q
      .updateTable('handoff_jobs')
      .set((eb) => ({ state: 'failed', attempts: eb('attempts', '+', 1), last_error: error, updated_at: now, ...NO_LEASE }))
      .where('id', 'in', ids)
      .execute();
  }

  /** Drops what is still queued for a hand-off that ended (nothing more goes to that ticket). */
  async dropPending(handoffId: string, kind: HandOffJobKind, now: string): Promise<void> {
    await this.db.q
      .updateTable('handoff_jobs')
      .set({ state: 'done', last_error: 'The hand-off ended.', updated_at: now, ...NO_LEASE })
      .where('handoff_id', '=', handoffId)
      .where('kind', '=', kind)
      .where('state', '=', 'pending')
      .execute();
  }

  async recordTicketUpdate(ticketId: number, at: string): Promise<void> {
    await this.db.q.insertInto('zendesk_ticket_updates').values({ ticket_id: ticketId, at }).execute();
  }

  /** Desk's updates of a ticket since `since`: how many, and when the oldest was. */
  async ticketUpdatesSince(ticketId: number, since: string): Promise<{ count: number; oldest: string | null }> {
    const row = await this.db.q
      .selectFrom('zendesk_ticket_updates')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('at').as('oldest')])
      .where('ticket_id', '=', ticketId)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), oldest: row.oldest ?? null };
  }

  async wasRelayed(handoffId: string, remoteId: string): Promise<boolean> {
    const row = await this.db.q.selectFrom('handoff_relayed').select('message_id').where('handoff_id', '=', handoffId).where('remote_id', '=', remoteId).executeTakeFirst();
    return row !== undefined;
  }

  async rememberRelayed(handoffId: string, remoteId: string, messageId: string): Promise<void> {
    await this.db.q.insertInto('handoff_relayed').values({ handoff_id: handoffId, remote_id: remoteId, message_id: messageId }).execute();
  }

  /** Gives a claimed job back (its attempt threw before recording an outcome): it is due again at once. */
  async release(id: number): Promise<void> {
    await this.db.q.updateTable('handoff_jobs').set(NO_LEASE).where('id', '=', id).execute();
  }
}
