import {
  type Agent,
  DeskError,
  dispatchMutation,
  ErrorCode,
  mayRun,
  type Mutation,
  type MutationHandlers,
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
  /** Applies core's ticket rules to the stored ticket; throws a DeskError naming the broken rule. */
  changeTicket(ticketId: string, change: TicketChange, actorAgentId: string, ctx: MutatorContext): Promise<void>;
  /**
   * An agent's text reply, idempotent on `messageId` (a retried reply is stored and sent once);
   * checks the reply rules itself, after the idempotency check.
   */
  reply(input: { ticketId: string; messageId: string; text: string; agentId: string }, ctx: MutatorContext): Promise<void>;
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
    await domain.changeTicket(ticket.id, ticketChangeOf(mutation, ticket), ctx.agent.id, ctx);
  }

  /** One handler per mutation of core's registry (the type makes a missing one a compile error). */
  const handlers: MutationHandlers<MutatorContext, Promise<void>> = {
    'ticket.setStatus': changeField,
    'ticket.setPriority': changeField,
    'ticket.assign': changeField,
    'ticket.addTag': changeField,
    'ticket.removeTag': changeField,
    'ticket.reply': async (mutation, ctx) => {
      await ticketOrThrow(mutation.args.ticketId);
      await domain.reply({ ...mutation.args, agentId: ctx.agent.id }, ctx);
    },
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
