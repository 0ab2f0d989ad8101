import { z } from 'zod';
import type { Permission } from '../accounts/permissions.ts';
import { type Contact, ContactInput, ContactPatch } from '../contacts/contact.ts';
import { MESSAGE_TEXT_MAX, type Message } from '../conversations/message.ts';
import { ErrorCode } from '../errors.ts';
import { TicketPriority } from '../tickets/priority.ts';
import { addTag, applyTicketChange, checkReply, removeTag, type TicketChange, type TicketState } from '../tickets/rules.ts';
import { TicketStatus } from '../tickets/status.ts';
import type { Ticket } from '../tickets/ticket.ts';
import { type CannedReply, CannedReplyInput } from '../team/canned-reply.ts';
import { noteMessage } from '../team/notes.ts';
import { type MutationError, type SyncEntity, type TicketRead, ticketReadId } from './protocol.ts';

/**
 * Every mutation an agent's client may push, defined once: its argument schema, the permission it
 * needs, the rows it reads and writes, and the pure change it makes to those rows. The PWA runs
 * `apply` on its local rows (and replays it when rebasing); the server derives its dispatch table
 * from the same names (a mapped type: a mutation without a server handler does not compile) and
 * checks the same permission. Adding a mutation is one entry here plus its server handler.
 */

/** A synced row: `[entity, id]`. */
export type SyncKey = readonly [SyncEntity, string];
/** Reads the current copy of a row (undefined when there is none). */
export type RowReader = (entity: SyncEntity, id: string) => unknown;
export interface MutationContext {
  /** The agent running the mutation. */
  agentId: string;
  /** The time the agent acted (server time on the server). */
  now: string;
  /** Active agents, for the assignee rule; omitted on replay. */
  isActiveAgent?: (agentId: string) => boolean;
  /** The agents a note's `@name` mentions (the PWA and the server each know the team); none when omitted. */
  mentionsIn?: (text: string) => string[];
}
export type RowWrite = { entity: SyncEntity; id: string; row: unknown };
export type MutationOutcome = { ok: true; rows: RowWrite[] } | { ok: false; error: MutationError };

export interface MutationDefinition<S extends z.ZodType> {
  args: S;
  permission: Permission;
  /** The rows it writes: what a rebase recomputes when the mutation is confirmed or refused. */
  writes(args: z.output<S>, agentId: string): SyncKey[];
  /** Rows it reads besides those it writes. */
  reads(args: z.output<S>): SyncKey[];
  /** The pure change: what the mutation makes of the rows it reads, with every rule checked. */
  apply(args: z.output<S>, read: RowReader, ctx: MutationContext): MutationOutcome;
  /** Ticket field mutations only (see `ticketField`): the change asked for, computed against the ticket as it is now. */
  ticketChange?: (args: z.output<S>, ticket: Pick<TicketState, 'tags'>) => TicketChange;
}

const define = <S extends z.ZodType>(definition: MutationDefinition<S>) => definition;

const missing = (what: string): MutationOutcome => ({ ok: false, error: { code: ErrorCode.notFound, message: `${what} is not on this device.` } });

const ticketId = z.string().min(1);
const tag = z.string().min(1).max(50);

/**
 * A mutation of a ticket's own fields (status, priority, assignee, tags): the change is computed
 * against the current ticket (tags are add/remove, never a whole-array replace from a stale copy)
 * and applied with core's ticket rules; `updatedAt` moves to `now`.
 */
function ticketField<S extends z.ZodType<{ ticketId: string }>>(args: S, change: (args: z.output<S>, ticket: Pick<TicketState, 'tags'>) => TicketChange) {
  const definition = define({
    args,
    permission: 'tickets.work',
    writes: (a) => [['ticket', a.ticketId]],
    reads: () => [],
    apply(a, read, ctx) {
      const ticket = read('ticket', a.ticketId) as Ticket | undefined;
      if (!ticket) return missing('This ticket');
      const context = ctx.isActiveAgent ? { now: ctx.now, isActiveAgent: ctx.isActiveAgent } : { now: ctx.now };
      const result = applyTicketChange(ticket, change(a, ticket), context);
      if (!result.ok) return { ok: false, error: { code: ErrorCode.ruleViolated, message: result.message, rule: result.rule } };
      return { ok: true, rows: [{ entity: 'ticket', id: ticket.id, row: { ...result.value, updatedAt: ctx.now } }] };
    },
  });
  return { ...definition, ticketChange: change };
}

/** The message an agent's reply becomes: the PWA shows this at once, the server stores the same id. */
export function replyMessage(args: { ticketId: string; messageId: string; text: string }, ticket: Pick<Ticket, 'id' | 'conversationId'>, agentId: string, now: string): Message {
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

const replyText = z.string().trim().min(1, 'Write a reply.').max(MESSAGE_TEXT_MAX);

const CannedSaveArgs = CannedReplyInput.extend({ id: z.uuid() });
const forbidden = (message: string): MutationOutcome => ({ ok: false, error: { code: ErrorCode.forbidden, message } });

/** A canned reply saved by `ctx.agentId`: shared (`ownerId` null) or that agent's own. */
function savedCannedReply(args: z.output<typeof CannedSaveArgs>, ownerId: string | null, now: string): CannedReply {
  return { id: args.id, ownerId, shortcut: args.shortcut, title: args.title, texts: args.texts, updatedAt: now };
}

/** Saving or deleting a canned reply: shared ones by admins (the permission), personal ones by their owner only. */
function cannedReplyMutation<S extends z.ZodType<{ id: string }>>(args: S, scope: 'shared' | 'personal', change: (a: z.output<S>, owner: string | null, now: string) => CannedReply | null) {
  return define({
    args,
    permission: scope === 'shared' ? 'cannedReplies.manage' : 'tickets.work',
    writes: (a) => [['cannedReply', a.id]],
    reads: () => [],
    apply(a, read, ctx) {
      const stored = read('cannedReply', a.id) as CannedReply | undefined;
      const owner = scope === 'shared' ? null : ctx.agentId;
      if (stored && stored.ownerId !== owner) return forbidden(scope === 'shared' ? 'This is a personal canned reply.' : 'This canned reply is not yours.');
      return { ok: true, rows: [{ entity: 'cannedReply', id: a.id, row: change(a, owner, ctx.now) }] };
    },
  });
}

/**
 * A message a mutation adds to a ticket (a reply, a note). The server's copy wins once it exists
 * (delivery state, server time): a message is shown once. Otherwise `make` builds it from the
 * ticket, or refuses.
 */
function addedToTicket(a: { ticketId: string; messageId: string }, read: RowReader, make: (ticket: Ticket) => Message | MutationOutcome): MutationOutcome {
  const stored = read('message', a.messageId) as Message | undefined;
  if (stored) return { ok: true, rows: [{ entity: 'message', id: stored.id, row: stored }] };
  const ticket = read('ticket', a.ticketId) as Ticket | undefined;
  if (!ticket) return missing('This ticket');
  const made = make(ticket);
  if ('ok' in made) return made;
  return { ok: true, rows: [{ entity: 'message', id: made.id, row: made }] };
}

const ContactCreateArgs = ContactInput.extend({ id: z.uuid() });
const ContactUpdateArgs = ContactPatch.extend({ id: z.string().min(1) });

export function createdContact(args: z.output<typeof ContactCreateArgs>, now: string): Contact {
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

export function patchedContact(contact: Contact, args: z.output<typeof ContactUpdateArgs>, now: string): Contact {
  return {
    ...contact,
    ...(args.name !== undefined && { name: args.name }),
    ...(args.phone !== undefined && { phone: args.phone }),
    ...(args.email !== undefined && { email: args.email }),
    ...(args.designatedAgentId !== undefined && { designatedAgentId: args.designatedAgentId }),
    updatedAt: now,
  };
}

export const MUTATIONS = {
  'ticket.setStatus': ticketField(z.object({ ticketId, status: TicketStatus }), (a) => ({ status: a.status })),
  'ticket.setPriority': ticketField(z.object({ ticketId, priority: TicketPriority }), (a) => ({ priority: a.priority })),
  'ticket.assign': ticketField(z.object({ ticketId, agentId: z.string().min(1).nullable() }), (a) => ({ assigneeId: a.agentId })),
  'ticket.addTag': ticketField(z.object({ ticketId, tag }), (a, ticket) => ({ tags: addTag(ticket.tags, a.tag) })),
  'ticket.removeTag': ticketField(z.object({ ticketId, tag }), (a, ticket) => ({ tags: removeTag(ticket.tags, a.tag) })),
  'ticket.reply': define({
    args: z.object({
      ticketId,
      messageId: z.uuid(),
      text: replyText,
      /**
       * Collision check (team/collision.ts): the newest reply by another agent the ticket had when the
       * agent opened it (null: none). The server holds the reply when another agent replied since,
       * unless `force` (the agent chose "send anyway"). Absent: no check (API clients, older PWAs).
       */
      seenAt: z.string().max(40).nullable().optional(),
      force: z.boolean().optional(),
    }),
    permission: 'tickets.work',
    writes: (a) => [['message', a.messageId]],
    reads: (a) => [['ticket', a.ticketId]],
    apply(a, read, ctx) {
      return addedToTicket(a, read, (ticket) => {
        const check = checkReply(ticket.status, false);
        if (!check.ok) return { ok: false, error: { code: ErrorCode.ruleViolated, message: check.message, rule: check.rule } };
        return replyMessage(a, ticket, ctx.agentId, ctx.now);
      });
    },
  }),
  'ticket.note': define({
    args: z.object({ ticketId, messageId: z.uuid(), text: z.string().trim().min(1, 'Write a note.').max(MESSAGE_TEXT_MAX) }),
    permission: 'tickets.work',
    writes: (a) => [['message', a.messageId]],
    reads: (a) => [['ticket', a.ticketId]],
    apply(a, read, ctx) {
      // Notes are for agents only, so they are allowed on a solved ticket too.
      return addedToTicket(a, read, (ticket) => noteMessage(a, ticket, ctx.agentId, ctx.mentionsIn?.(a.text) ?? [], ctx.now));
    },
  }),
  'cannedReply.saveShared': cannedReplyMutation(CannedSaveArgs, 'shared', savedCannedReply),
  'cannedReply.savePersonal': cannedReplyMutation(CannedSaveArgs, 'personal', savedCannedReply),
  'cannedReply.deleteShared': cannedReplyMutation(z.object({ id: z.string().min(1) }), 'shared', () => null),
  'cannedReply.deletePersonal': cannedReplyMutation(z.object({ id: z.string().min(1) }), 'personal', () => null),
  'ticket.markRead': define({
    args: z.object({ ticketId }),
    permission: 'tickets.work',
    writes: (a, agentId) => [['ticketRead', ticketReadId(a.ticketId, agentId)]],
    reads: () => [],
    apply(a, _read, ctx) {
      const row: TicketRead = { ticketId: a.ticketId, agentId: ctx.agentId, readAt: ctx.now };
      return { ok: true, rows: [{ entity: 'ticketRead', id: ticketReadId(a.ticketId, ctx.agentId), row }] };
    },
  }),
  'contact.create': define({
    args: ContactCreateArgs,
    permission: 'contacts.manage',
    writes: (a) => [['contact', a.id]],
    reads: () => [],
    apply(a, read, ctx) {
      // Created by an earlier copy of this mutation: keep that one.
      const row = (read('contact', a.id) as Contact | undefined) ?? createdContact(a, ctx.now);
      return { ok: true, rows: [{ entity: 'contact', id: row.id, row }] };
    },
  }),
  /**
   * Fills a mutation id the device may have spent without keeping a record of it: an action pushed
   * before its own IndexedDB commit, which then failed or was cut by a crash (the PWA's
   * `local/mutation-ids.ts`). It changes nothing; if the lost action reached the server first, this
   * one gets that action's recorded answer, and either way the id is taken, so it is never reused.
   */
  'sync.skipId': define({
    args: z.object({}),
    permission: 'tickets.work',
    writes: () => [],
    reads: () => [],
    apply: () => ({ ok: true, rows: [] }),
  }),
  'contact.update': define({
    args: ContactUpdateArgs,
    permission: 'contacts.manage',
    writes: (a) => [['contact', a.id]],
    reads: () => [],
    apply(a, read, ctx) {
      const contact = read('contact', a.id) as Contact | undefined;
      if (!contact) return missing('This user');
      const row = patchedContact(contact, a, ctx.now);
      return { ok: true, rows: [{ entity: 'contact', id: row.id, row }] };
    },
  }),
} as const;
