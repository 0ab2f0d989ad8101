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
import type { ChangeFeed } from './change-feed.ts';

/**
 * What the sync mutators need from the domains. The server applies a mutation through the
 * same services the REST routes use (they check the rules again with the stored row and
 * record the change log), so a pushed change and a direct API call behave the same.
 */
export interface SyncDomain {
  getTicket(ticketId: string): Promise<Ticket | null>;
  /**
   * Applies core's ticket rules to the stored ticket (`ticket`, as `getTicket` read it in this
   * transaction); throws a DeskError naming the broken rule.
   */
  changeTicket(ticket: Ticket, change: TicketChange, actorAgentId: string, ctx: MutatorContext): Promise<void>;
  /**
   * An agent's text reply, idempotent on `messageId` (a retried reply is stored and sent once);
   * checks the reply rules itself, after the idempotency check.
   */
  reply(input: { ticket: Ticket; messageId: string; text: string; agentId: string }, ctx: MutatorContext): Promise<void>;
  /** Whether a message (reply, user message, note) is stored under this id. */
  messageExists(id: string): Promise<boolean>;
  /** The ticket's stored messages (the collision check reads the replies). */
  ticketMessages(ticketId: string): Promise<Message[]>;
  /** A stored note (its retried mutation is answered with it). */
  getNote(id: string): Promise<Message | null>;
  /** Stores a note and, after the commit, tells the agents it mentions. */
  addNote(note: Message & { ticketId: string; agentId: string }, ctx: MutatorContext): Promise<void>;
  /** Reads the agents once; answers who `@name` in a note's text mentions (active ones, the author left out). */
  mentionsOf(authorId: string): Promise<(text: string) => string[]>;
  getCannedReply(id: string): Promise<CannedReply | null>;
  saveCannedReply(reply: CannedReply): Promise<void>;
  deleteCannedReply(reply: CannedReply): Promise<void>;
  createContact(input: { id: string; name: string; phone?: string | null; email?: string | null; designatedAgentId?: string | null }): Promise<void>;
  updateContact(
    id: string,
    changes: { name?: string; phone?: string | null; email?: string | null; designatedAgentId?: string | null },
  ): Promise<void>;
  contactExists(id: string): Promise<boolean>;
  /** Another live contact already has this phone. */
  phoneTaken(phone: string, exceptId?: string): Promise<boolean>;
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
  async function ticketOrThrow(ticketId: string): Promise<Ticket> {
    const ticket = await domain.getTicket(ticketId);
    if (!ticket) throw new DeskError(ErrorCode.notFound, 'This ticket no longer exists.');
    return ticket;
  }

  async function changeField(mutation: TicketFieldMutation, ctx: MutatorContext): Promise<void> {
    const ticket = await ticketOrThrow(mutation.args.ticketId);
    // Tags are computed against the stored list inside this transaction: add/remove, never replace.
    await domain.changeTicket(ticket, ticketChangeOf(mutation, ticket), ctx.agent.id, ctx);
  }

  /**
   * Runs core's own definition of the mutation on the stored rows (the same rules the PWA ran):
   * for notes and canned replies the shared `apply` is the whole rule. `rows` are the stored rows it
   * may read, read beforehand (core's rules are pure).
   */
  async function sharedOutcome(mutation: Mutation, ctx: MutatorContext, rows: { entity: string; id: string; row: unknown }[]) {
    const mentionsIn = await domain.mentionsOf(ctx.agent.id);
    const read: RowReader = (entity, id) => rows.find((r) => r.entity === entity && r.id === id)?.row as never;
    const outcome = applyMutation(mutation, read, { agentId: ctx.agent.id, now: ctx.now, mentionsIn });
    if (!outcome.ok) throw new DeskError(outcome.error.code as ErrorCode, outcome.error.message, outcome.error.rule ? { rule: outcome.error.rule } : {});
    return outcome.rows;
  }

  async function cannedReply(
    mutation: MutationOf<'cannedReply.saveShared' | 'cannedReply.savePersonal' | 'cannedReply.deleteShared' | 'cannedReply.deletePersonal'>,
    ctx: MutatorContext,
  ): Promise<void> {
    const stored = await domain.getCannedReply(mutation.args.id);
    const rows = stored ? [{ entity: 'cannedReply', id: stored.id, row: stored }] : [];
    for (const { row } of await sharedOutcome(mutation, ctx, rows)) {
      if (row) await domain.saveCannedReply(row as CannedReply);
      else if (stored) await domain.deleteCannedReply(stored);
    }
  }

  /** One handler per mutation of core's registry (the type makes a missing one a compile error). */
  const handlers: MutationHandlers<MutatorContext, Promise<void>> = {
    'ticket.setStatus': changeField,
    'ticket.setPriority': changeField,
    'ticket.assign': changeField,
    'ticket.addTag': changeField,
    'ticket.removeTag': changeField,
    'ticket.reply': async (mutation, ctx) => {
      const { ticketId, messageId, text, seenAt, force } = mutation.args;
      const ticket = await ticketOrThrow(ticketId);
      // A reply written while another agent replied is held (rejected, kept by the PWA) unless sent anyway;
      // a retried reply already stored is answered as before.
      if (
        seenAt !== undefined &&
        !force &&
        !(await domain.messageExists(messageId)) &&
        collidingReplies(await domain.ticketMessages(ticketId), ctx.agent.id, seenAt).length > 0
      ) {
        throw new DeskError(ErrorCode.conflict, REPLY_COLLISION_MESSAGE, { rule: REPLY_COLLISION_RULE });
      }
      await domain.reply({ ticket, messageId, text, agentId: ctx.agent.id }, ctx);
    },
    'ticket.note': async (mutation, ctx) => {
      const { ticketId, messageId } = mutation.args;
      if (await domain.getNote(messageId)) return; // stored by an earlier copy of this mutation
      if (await domain.messageExists(messageId)) throw new DeskError(ErrorCode.conflict, 'This message id is already used by another message.');
      const ticket = await ticketOrThrow(ticketId);
      for (const { row } of await sharedOutcome(mutation, ctx, [{ entity: 'ticket', id: ticket.id, row: ticket }])) {
        await domain.addNote(row as Message & { ticketId: string; agentId: string }, ctx);
      }
    },
    'cannedReply.saveShared': cannedReply,
    'cannedReply.savePersonal': cannedReply,
    'cannedReply.deleteShared': cannedReply,
    'cannedReply.deletePersonal': cannedReply,
    'ticket.markRead': async (mutation, ctx) => {
      const ticket = await ticketOrThrow(mutation.args.ticketId);
      await db.q
        .insertInto('ticket_reads')
        .values({ ticket_id: ticket.id, agent_id: ctx.agent.id, read_at: ctx.now })
        .onConflict((oc) => oc.columns(['ticket_id', 'agent_id']).doUpdateSet((eb) => ({ read_at: eb.ref('excluded.read_at') })))
        .execute();
      const read = { ticketId: ticket.id, agentId: ctx.agent.id, readAt: ctx.now };
      await changes.record('ticketRead', ticketReadId(ticket.id, ctx.agent.id), 'put', read, ctx.agent.id);
    },
    // Nothing to do: the id is taken by this row in `sync_mutations` (push.ts).
    'sync.skipId': async () => undefined,
    'contact.create': async (mutation) => {
      if (await domain.contactExists(mutation.args.id)) return; // created by an earlier copy of this mutation
      if (mutation.args.phone && (await domain.phoneTaken(mutation.args.phone))) throw phoneTaken();
      await domain.createContact(mutation.args);
    },
    'contact.update': async (mutation) => {
      if (!(await domain.contactExists(mutation.args.id))) throw new DeskError(ErrorCode.notFound, 'This user no longer exists.');
      const { id, ...changesOf } = mutation.args;
      if (changesOf.phone && (await domain.phoneTaken(changesOf.phone, id))) throw phoneTaken();
      await domain.updateContact(id, changesOf);
    },
  };

  return async function runMutation(ctx: MutatorContext, mutation: Mutation): Promise<void> {
    if (!mayRun(ctx.agent.role, mutation.name)) throw new DeskError(ErrorCode.forbidden, 'Your role may not do this.');
    await dispatchMutation(handlers, mutation, ctx);
  };
}
export type RunMutation = ReturnType<typeof createServerMutators>;
