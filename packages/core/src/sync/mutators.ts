import type { Permission } from '../accounts/permissions.ts';
import { fieldErrorsOf } from '../api/error-body.ts';
import type { Contact } from '../contacts/contact.ts';
import type { Message } from '../conversations/message.ts';
import { DeskError, ErrorCode, exhaustiveSwitchError } from '../errors.ts';
import {
  addTag,
  applyTicketChange,
  type ChangeResult,
  checkReply,
  type RuleCheck,
  removeTag,
  type TicketChange,
  type TicketState,
} from '../tickets/rules.ts';
import type { Ticket } from '../tickets/ticket.ts';
import { MutationArgs, type MutationArgsOf, type MutationName } from './mutations.ts';
import type { MutationError } from './protocol.ts';

/**
 * Mutators shared by the PWA and the server. Each mutation is defined once: its argument schema
 * (mutations.ts), the permission it needs, and the pure function that turns it into a change.
 * The PWA runs these against its local copy to show the result at once; the server runs the
 * same functions inside a transaction against the stored row, so both agree on every rule.
 */

export type Mutation = { [N in MutationName]: { name: N; args: MutationArgsOf<N> } }[MutationName];
export type MutationOf<N extends MutationName> = Extract<Mutation, { name: N }>;

/** Mutations that change a ticket's own fields (status, priority, assignee, tags). */
export type TicketFieldMutation = MutationOf<
  'ticket.setStatus' | 'ticket.setPriority' | 'ticket.assign' | 'ticket.addTag' | 'ticket.removeTag'
>;
export const TICKET_FIELD_MUTATIONS = [
  'ticket.setStatus',
  'ticket.setPriority',
  'ticket.assign',
  'ticket.addTag',
  'ticket.removeTag',
] as const satisfies readonly TicketFieldMutation['name'][];

export const MUTATION_PERMISSIONS: Record<MutationName, Permission> = {
  'ticket.setStatus': 'tickets.work',
  'ticket.setPriority': 'tickets.work',
  'ticket.assign': 'tickets.work',
  'ticket.addTag': 'tickets.work',
  'ticket.removeTag': 'tickets.work',
  'ticket.reply': 'tickets.work',
  'ticket.markRead': 'tickets.work',
  'contact.create': 'contacts.manage',
  'contact.update': 'contacts.manage',
};

export type Parsed = { ok: true; mutation: Mutation } | { ok: false; error: MutationError };

/** Validates a pushed (or locally issued) mutation's arguments with its schema. */
export function parseMutation(name: MutationName, args: unknown): Parsed {
  const schema = MutationArgs[name];
  if (!schema) return { ok: false, error: { code: ErrorCode.invalidInput, message: `Unknown mutation ${String(name)}.` } };
  const result = schema.safeParse(args);
  if (!result.success) {
    const fields = fieldErrorsOf(result.error);
    const message = Object.entries(fields)
      .map(([field, text]) => `${field}: ${text}`)
      .join('; ');
    return { ok: false, error: { code: ErrorCode.invalidInput, message } };
  }
  return { ok: true, mutation: { name, args: result.data } as Mutation };
}

export function isTicketFieldMutation(mutation: Mutation): mutation is TicketFieldMutation {
  return (TICKET_FIELD_MUTATIONS as readonly string[]).includes(mutation.name);
}

/** The ticket a mutation touches, if any. */
export function ticketIdOf(mutation: Mutation): string | null {
  return 'ticketId' in mutation.args ? mutation.args.ticketId : null;
}

/**
 * The change a ticket mutation asks for, computed against the ticket as it is now. Tags are
 * add/remove against the current list (never a whole-array replace from a stale copy).
 */
export function ticketChangeOf(mutation: TicketFieldMutation, ticket: Pick<TicketState, 'tags'>): TicketChange {
  switch (mutation.name) {
    case 'ticket.setStatus':
      return { status: mutation.args.status };
    case 'ticket.setPriority':
      return { priority: mutation.args.priority };
    case 'ticket.assign':
      return { assigneeId: mutation.args.agentId };
    case 'ticket.addTag':
      return { tags: addTag(ticket.tags, mutation.args.tag) };
    case 'ticket.removeTag':
      return { tags: removeTag(ticket.tags, mutation.args.tag) };
    default:
      return exhaustiveSwitchError(mutation, 'ticket mutation');
  }
}

/** Applies a ticket mutation with every rule checked; `updatedAt` moves to `now` on success. */
export function applyTicketMutation<T extends TicketState & { updatedAt: string }>(
  ticket: T,
  mutation: TicketFieldMutation,
  context: { now: string; isActiveAgent?: (agentId: string) => boolean },
): ChangeResult<T> {
  const result = applyTicketChange(ticket, ticketChangeOf(mutation, ticket), context);
  if (!result.ok) return result;
  return { ok: true, value: { ...result.value, updatedAt: context.now } };
}

/** Whether an agent may reply to this ticket now (agents send text only). */
export function checkAgentReply(ticket: Pick<TicketState, 'status'>): RuleCheck {
  return checkReply(ticket.status, false);
}

/** The message an agent's reply becomes: the PWA shows this at once, the server stores the same id. */
export function replyMessage(
  args: MutationArgsOf<'ticket.reply'>,
  ticket: Pick<Ticket, 'id' | 'conversationId'>,
  agentId: string,
  now: string,
): Message {
  return {
    id: args.messageId,
    conversationId: ticket.conversationId,
    ticketId: ticket.id,
    authorKind: 'agent',
    agentId,
    text: args.text,
    attachments: [],
    channelMessageId: null,
    delivery: { state: 'pending' },
    createdAt: now,
  };
}

export function createdContact(args: MutationArgsOf<'contact.create'>, now: string): Contact {
  return {
    id: args.id,
    name: args.name,
    phone: args.phone ?? null,
    email: args.email ?? null,
    designatedAgentId: args.designatedAgentId ?? null,
    identities: [],
    createdAt: now,
    updatedAt: now,
  };
}

export function patchedContact(contact: Contact, args: MutationArgsOf<'contact.update'>, now: string): Contact {
  return {
    ...contact,
    ...(args.name !== undefined && { name: args.name }),
    ...(args.phone !== undefined && { phone: args.phone }),
    ...(args.email !== undefined && { email: args.email }),
    ...(args.designatedAgentId !== undefined && { designatedAgentId: args.designatedAgentId }),
    updatedAt: now,
  };
}

/** Turns whatever a mutator threw into the `{ code, message, rule? }` a rejected result carries. */
export function mutationErrorOf(error: unknown): MutationError {
  if (error instanceof DeskError) {
    const out: MutationError = { code: error.code, message: error.message };
    if (error.rule) out.rule = error.rule;
    return out;
  }
  if (isRuleBroken(error)) return { code: ErrorCode.ruleViolated, message: error.message, rule: error.rule };
  return { code: ErrorCode.internal, message: 'The server could not apply this change.' };
}

function isRuleBroken(value: unknown): value is { ok: false; rule: string; message: string } {
  return typeof value === 'object' && value !== null && 'rule' in value && 'message' in value && (value as { ok?: unknown }).ok === false;
}

/** A DeskError for a broken rule, so server mutators can throw what the shared functions return. */
export function ruleError(check: { rule: string; message: string }): DeskError {
  return new DeskError(ErrorCode.ruleViolated, check.message, { rule: check.rule });
}
