import { can, type Permission } from '../accounts/permissions.ts';
import type { Role } from '../accounts/agent.ts';
import { fieldErrorsOf } from '../api/error-body.ts';
import { DeskError, ErrorCode } from '../errors.ts';
import { applyTicketChange, type ChangeResult, checkReply, type RuleCheck, type TicketChange, type TicketState } from '../tickets/rules.ts';
import {
  MUTATIONS,
  type MutationContext,
  type MutationOutcome,
  type RowReader,
  type SyncKey,
} from './mutation-registry.ts';
import { MUTATION_NAMES, type MutationArgsOf, type MutationName } from './mutations.ts';
import type { MutationError } from './protocol.ts';

/**
 * The operations on a mutation, all derived from its one definition in `mutation-registry.ts`:
 * parsing, permission, the rows it reads and writes, its pure change, and dispatch to a table
 * of handlers that must name every mutation.
 */

type Registry = typeof MUTATIONS;
export type Mutation = { [N in MutationName]: { name: N; args: MutationArgsOf<N> } }[MutationName];
export type MutationOf<N extends MutationName> = Extract<Mutation, { name: N }>;

/** Names of the mutations that change a ticket's own fields (status, priority, assignee, tags). */
export type TicketFieldName = { [N in MutationName]: Registry[N] extends { ticketChange: unknown } ? N : never }[MutationName];
export type TicketFieldMutation = MutationOf<TicketFieldName>;
export const TICKET_FIELD_MUTATIONS = MUTATION_NAMES.filter((name) => 'ticketChange' in MUTATIONS[name]) as TicketFieldName[];

/** The permission each mutation needs. */
export const MUTATION_PERMISSIONS = Object.fromEntries(MUTATION_NAMES.map((name) => [name, MUTATIONS[name].permission])) as Record<MutationName, Permission>;

export function mayRun(role: Role, name: MutationName): boolean {
  return can(role, MUTATIONS[name].permission);
}

/** A definition seen through its parsed arguments' type. */
interface Definition {
  writes(args: unknown, agentId: string): SyncKey[];
  reads(args: unknown): SyncKey[];
  apply(args: unknown, read: RowReader, ctx: MutationContext): MutationOutcome;
  ticketChange?: (args: unknown, ticket: Pick<TicketState, 'tags'>) => TicketChange;
}
/**
 * TypeScript can't relate `MUTATIONS[mutation.name]` to that union member's `args`; they match
 * because `parseMutation` parsed the args with this very definition's schema.
 */
const definitionOf = (mutation: Mutation): Definition => MUTATIONS[mutation.name] as unknown as Definition;

export type Parsed = { ok: true; mutation: Mutation } | { ok: false; error: MutationError };

/** Validates a pushed (or locally issued) mutation's arguments with its schema. */
export function parseMutation(name: MutationName, args: unknown): Parsed {
  const definition = Object.hasOwn(MUTATIONS, name) ? MUTATIONS[name] : undefined;
  if (!definition) return { ok: false, error: { code: ErrorCode.invalidInput, message: `Unknown mutation ${String(name)}.` } };
  const result = definition.args.safeParse(args);
  if (!result.success) {
    const fields = fieldErrorsOf(result.error);
    const message = Object.entries(fields)
      .map(([field, text]) => `${field}: ${text}`)
      .join('; ');
    return { ok: false, error: { code: ErrorCode.invalidInput, message } };
  }
  return { ok: true, mutation: { name, args: result.data } as Mutation };
}

/** One handler per mutation name: a table of this type is incomplete, and fails to compile, until every mutation has one. */
export type MutationHandlers<C, R> = { [N in MutationName]: (mutation: MutationOf<N>, context: C) => R };

/** Runs the handler of the mutation's name. */
export function dispatchMutation<C, R>(handlers: MutationHandlers<C, R>, mutation: Mutation, context: C): R {
  // The mapped type pairs each name with its own mutation type; TypeScript can't follow that through the union.
  return (handlers[mutation.name] as (mutation: Mutation, context: C) => R)(mutation, context);
}

/** The rows a mutation writes: what the rebase must recompute when it is confirmed or refused. */
export function mutationWrites(mutation: Mutation, agentId: string): SyncKey[] {
  return definitionOf(mutation).writes(mutation.args, agentId);
}

/** Every row a mutation reads: those it writes and the others it looks at (a reply's ticket). */
export function mutationReads(mutation: Mutation, agentId: string): SyncKey[] {
  const definition = definitionOf(mutation);
  return [...definition.writes(mutation.args, agentId), ...definition.reads(mutation.args)];
}

/** The mutation's pure change on the rows `read` gives, with every rule checked. */
export function applyMutation(mutation: Mutation, read: RowReader, ctx: MutationContext): MutationOutcome {
  return definitionOf(mutation).apply(mutation.args, read, ctx);
}

export function isTicketFieldMutation(mutation: Mutation): mutation is TicketFieldMutation {
  return definitionOf(mutation).ticketChange !== undefined;
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
  const change = definitionOf(mutation).ticketChange;
  if (!change) throw new Error(`${mutation.name} is not a ticket field mutation`);
  return change(mutation.args, ticket);
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
