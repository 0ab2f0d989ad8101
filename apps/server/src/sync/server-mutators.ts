import {
  type Agent,
  applyMutation,
  type CannedReply,
  collidingReplies,
  DeskError,
  dispatchMutation,
  ErrorCode,
  mayRun,
  type Message,
  type Mutation,
  type MutationHandlers,
  type MutationOf,
  REPLY_COLLISION_MESSAGE,
  REPLY_COLLISION_RULE,
  type RowReader,
  type Ticket,
  type TicketChange,
  type TicketFieldMutation,
  ticketChangeOf,
  ticketReadId,
} from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import type { ChangeFeed } from './change-feed.ts';

/**
 * What the sync mutators need from the domains. The server applies a mutation through the
 * same services the REST routes use (they check the rules again with the stored row and
 * record the change log), so a pushed change and a direct API call behave the same.
 */
export interface SyncDomain {
  getTicket(ticketId: string): Ticket | null;
  /** Applies core's ticket rules to the stored ticket; throws a DeskError naming the broken rule. */
  changeTicket(ticketId: string, change: TicketChange, actorAgentId: string, ctx: MutatorContext): void;
  /**
   * An agent's text reply, idempotent on `messageId` (a retried reply is stored and sent once);
   * checks the reply rules itself, after the idempotency check.
   */
  reply(input: { ticketId: string; messageId: string; text: string; agentId: string }, ctx: MutatorContext): void;
  /** Whether a message (reply, user message, note) is stored under this id. */
  messageExists(id: string): boolean;
  /** The ticket's stored messages (the collision check reads the replies). */
  ticketMessages(ticketId: string): Message[];
  /** A stored note (its retried mutation is answered with it). */
  getNote(id: string): Message | null;
  /** Stores a note and, after the commit, tells the agents it mentions. */
  addNote(note: Message & { ticketId: string; agentId: string }, ctx: MutatorContext): void;
  /** The agents `@name` in a note's text mentions (active ones, the author left out). */
  mentionsIn(text: string, authorId: string): string[];
  getCannedReply(id: string): CannedReply | null;
  saveCannedReply(reply: CannedReply): void;
  deleteCannedReply(reply: CannedReply): void;
  createContact(input: { id: string; name: string; phone?: string | null; email?: string | null; designatedAgentId?: string | null }): void;
  updateContact(
    id: string,
    changes: { name?: string; phone?: string | null; email?: string | null; designatedAgentId?: string | null },
  ): void;
  contactExists(id: string): boolean;
  /** Another live contact already has this phone. */
  phoneTaken(phone: string, exceptId?: string): boolean;
}

const phoneTaken = () => new DeskError(ErrorCode.conflict, 'Another user already has this phone number.', { fields: { phone: 'Already in use.' } });

export interface MutatorContext {
  agent: Agent;
  /** Server time for this mutation: clients' clocks are never trusted. */
  now: string;
  /** Runs `effect` only once the mutation's transaction has committed (events, notifications). */
  afterCommit(effect: () => void): void;
}

/**
 * Runs one validated mutation inside the caller's transaction. Throws a DeskError for a refusal
 * (the push loop records it as `rejected`); returns normally when applied.
 */
export function createServerMutators(db: Db, changes: ChangeFeed, domain: SyncDomain) {
  const upsertRead = statement(
    db,
    `INSERT INTO ticket_reads (ticket_id, agent_id, read_at) VALUES (?, ?, ?)
     ON CONFLICT(ticket_id, agent_id) DO UPDATE SET read_at = excluded.read_at`,
  );

  function ticketOrThrow(ticketId: string): Ticket {
    const ticket = domain.getTicket(ticketId);
    if (!ticket) throw new DeskError(ErrorCode.notFound, 'This ticket no longer exists.');
    return ticket;
  }

  function changeField(mutation: TicketFieldMutation, ctx: MutatorContext): void {
    const ticket = ticketOrThrow(mutation.args.ticketId);
    // Tags are computed against the stored list inside this transaction: add/remove, never replace.
    domain.changeTicket(ticket.id, ticketChangeOf(mutation, ticket), ctx.agent.id, ctx);
  }

  /**
   * Runs core's own definition of the mutation on the stored rows (the same rules the PWA ran):
   * for notes and canned replies the shared `apply` is the whole rule.
   */
  function sharedOutcome(mutation: Mutation, ctx: MutatorContext, read: RowReader) {
    const outcome = applyMutation(mutation, read, { agentId: ctx.agent.id, now: ctx.now, mentionsIn: (text) => domain.mentionsIn(text, ctx.agent.id) });
    if (!outcome.ok) throw new DeskError(outcome.error.code as ErrorCode, outcome.error.message, outcome.error.rule ? { rule: outcome.error.rule } : {});
    return outcome.rows;
  }

  function cannedReply(mutation: MutationOf<'cannedReply.saveShared' | 'cannedReply.savePersonal' | 'cannedReply.deleteShared' | 'cannedReply.deletePersonal'>, ctx: MutatorContext): void {
    const stored = domain.getCannedReply(mutation.args.id);
    for (const { row } of sharedOutcome(mutation, ctx, (entity, id) => (entity === 'cannedReply' ? (domain.getCannedReply(id) ?? undefined) : undefined))) {
      if (row) domain.saveCannedReply(row as CannedReply);
      else if (stored) domain.deleteCannedReply(stored);
    }
  }

  /** One handler per mutation of core's registry (the type makes a missing one a compile error). */
  const handlers: MutationHandlers<MutatorContext, void> = {
    'ticket.setStatus': changeField,
    'ticket.setPriority': changeField,
    'ticket.assign': changeField,
    'ticket.addTag': changeField,
    'ticket.removeTag': changeField,
    'ticket.reply': (mutation, ctx) => {
      const { ticketId, messageId, text, seenAt, force } = mutation.args;
      ticketOrThrow(ticketId);
      // A reply written while another agent replied is held (rejected, kept by the PWA) unless sent anyway;
      // a retried reply already stored is answered as before.
      if (seenAt !== undefined && !force && !domain.messageExists(messageId) && collidingReplies(domain.ticketMessages(ticketId), ctx.agent.id, seenAt).length > 0) {
        throw new DeskError(ErrorCode.conflict, REPLY_COLLISION_MESSAGE, { rule: REPLY_COLLISION_RULE });
      }
      domain.reply({ ticketId, messageId, text, agentId: ctx.agent.id }, ctx);
    },
    'ticket.note': (mutation, ctx) => {
      const { ticketId, messageId } = mutation.args;
      if (domain.getNote(messageId)) return; // stored by an earlier copy of this mutation
      if (domain.messageExists(messageId)) throw new DeskError(ErrorCode.conflict, 'This message id is already used by another message.');
      ticketOrThrow(ticketId);
      for (const { row } of sharedOutcome(mutation, ctx, (entity, id) => (entity === 'ticket' ? (domain.getTicket(id) ?? undefined) : undefined))) {
        domain.addNote(row as Message & { ticketId: string; agentId: string }, ctx);
      }
    },
    'cannedReply.saveShared': cannedReply,
    'cannedReply.savePersonal': cannedReply,
    'cannedReply.deleteShared': cannedReply,
    'cannedReply.deletePersonal': cannedReply,
    'ticket.markRead': (mutation, ctx) => {
      const ticket = ticketOrThrow(mutation.args.ticketId);
      upsertRead.run(ticket.id, ctx.agent.id, ctx.now);
      const read = { ticketId: ticket.id, agentId: ctx.agent.id, readAt: ctx.now };
      changes.record('ticketRead', ticketReadId(ticket.id, ctx.agent.id), 'put', read, ctx.agent.id);
    },
    'contact.create': (mutation) => {
      if (domain.contactExists(mutation.args.id)) return; // created by an earlier copy of this mutation
      if (mutation.args.phone && domain.phoneTaken(mutation.args.phone)) throw phoneTaken();
      domain.createContact(mutation.args);
    },
    'contact.update': (mutation) => {
      if (!domain.contactExists(mutation.args.id)) throw new DeskError(ErrorCode.notFound, 'This user no longer exists.');
      const { id, ...changesOf } = mutation.args;
      if (changesOf.phone && domain.phoneTaken(changesOf.phone, id)) throw phoneTaken();
      domain.updateContact(id, changesOf);
    },
  };

  return function runMutation(ctx: MutatorContext, mutation: Mutation): void {
    if (!mayRun(ctx.agent.role, mutation.name)) throw new DeskError(ErrorCode.forbidden, 'Your role may not do this.');
    dispatchMutation(handlers, mutation, ctx);
  };
}
export type RunMutation = ReturnType<typeof createServerMutators>;
