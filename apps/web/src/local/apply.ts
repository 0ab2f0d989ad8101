import {
  applyTicketMutation,
  checkAgentReply,
  createdContact,
  ErrorCode,
  isTicketFieldMutation,
  type Mutation,
  type MutationError,
  patchedContact,
  replyMessage,
  type SyncEntity,
  ticketReadId,
  type Contact,
  type Message,
} from '@desk/core';
import type { LocalRead, LocalTicket } from './db.ts';

/**
 * The client side of the shared mutators: what one mutation does to the local rows. Pure: the
 * caller passes the rows it reads (`get`) and writes what comes back. Used both when the agent
 * acts (rules checked, refusals shown at once) and when pending mutations are replayed on top of
 * the server's rows after a pull (rebase).
 */

export type Key = readonly [SyncEntity, string];
export const keyString = (key: Key) => `${key[0]}\u0000${key[1]}`;

export interface ApplyContext {
  agentId: string;
  /** The time the agent acted (kept in the outbox, so a replay shows the same time). */
  now: string;
  /** Active agents, for the assignee rule; omitted on replay. */
  isActiveAgent?: (agentId: string) => boolean;
}

export type RowGetter = (entity: SyncEntity, id: string) => unknown;
export type Applied = { ok: true; rows: { entity: SyncEntity; id: string; row: unknown }[] } | { ok: false; error: MutationError };

/** The rows a mutation writes: what the rebase must recompute when it is confirmed or refused. */
export function keysOf(mutation: Mutation, agentId: string): Key[] {
  switch (mutation.name) {
    case 'ticket.setStatus':
    case 'ticket.setPriority':
    case 'ticket.assign':
    case 'ticket.addTag':
    case 'ticket.removeTag':
      return [['ticket', mutation.args.ticketId]];
    case 'ticket.reply':
      return [['message', mutation.args.messageId]];
    case 'ticket.markRead':
      return [['ticketRead', ticketReadId(mutation.args.ticketId, agentId)]];
    case 'contact.create':
    case 'contact.update':
      return [['contact', mutation.args.id]];
    default:
      return [];
  }
}

const missing = (what: string): Applied => ({ ok: false, error: { code: ErrorCode.notFound, message: `${what} is not on this device.` } });

export function applyMutation(mutation: Mutation, get: RowGetter, ctx: ApplyContext): Applied {
  if (isTicketFieldMutation(mutation)) {
    const ticket = get('ticket', mutation.args.ticketId) as LocalTicket | undefined;
    if (!ticket) return missing('This ticket');
    const context = ctx.isActiveAgent ? { now: ctx.now, isActiveAgent: ctx.isActiveAgent } : { now: ctx.now };
    const result = applyTicketMutation(ticket, mutation, context);
    if (!result.ok) return { ok: false, error: { code: ErrorCode.ruleViolated, message: result.message, rule: result.rule } };
    const row: LocalTicket = { ...result.value, assignee: result.value.assigneeId ?? 'none' };
    return { ok: true, rows: [{ entity: 'ticket', id: row.id, row }] };
  }
  switch (mutation.name) {
    case 'ticket.reply': {
      const stored = get('message', mutation.args.messageId) as Message | undefined;
      // The server's copy wins once it exists (delivery state, server time): a reply is shown once.
      if (stored) return { ok: true, rows: [{ entity: 'message', id: stored.id, row: stored }] };
      const ticket = get('ticket', mutation.args.ticketId) as LocalTicket | undefined;
      if (!ticket) return missing('This ticket');
      const check = checkAgentReply(ticket);
      if (!check.ok) return { ok: false, error: { code: ErrorCode.ruleViolated, message: check.message, rule: check.rule } };
      const message = replyMessage(mutation.args, ticket, ctx.agentId, ctx.now);
      return { ok: true, rows: [{ entity: 'message', id: message.id, row: message }] };
    }
    case 'ticket.markRead': {
      const id = ticketReadId(mutation.args.ticketId, ctx.agentId);
      const row: LocalRead = { id, ticketId: mutation.args.ticketId, agentId: ctx.agentId, readAt: ctx.now };
      return { ok: true, rows: [{ entity: 'ticketRead', id, row }] };
    }
    case 'contact.create': {
      const existing = get('contact', mutation.args.id) as Contact | undefined;
      const row = existing ?? createdContact(mutation.args, ctx.now);
      return { ok: true, rows: [{ entity: 'contact', id: row.id, row }] };
    }
    case 'contact.update': {
      const contact = get('contact', mutation.args.id) as Contact | undefined;
      if (!contact) return missing('This user');
      const row = patchedContact(contact, mutation.args, ctx.now);
      return { ok: true, rows: [{ entity: 'contact', id: row.id, row }] };
    }
    default:
      return { ok: false, error: { code: ErrorCode.invalidInput, message: `Unknown mutation ${(mutation as { name: string }).name}.` } };
  }
}
