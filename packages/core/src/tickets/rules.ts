import type { TicketPriority } from './priority.ts';
import { isActiveStatus, TICKET_STATUSES, type TicketStatus } from './status.ts';

/**
 * Ticket rules as data: each has a stable name that a refusal carries, so the PWA can say
 * which rule an action broke and the server can answer 422 with it.
 */
export const TicketRule = {
  noReturnToNew: 'ticket.status.no_return_to_new',
  replyNeedsActiveTicket: 'ticket.reply.needs_active_ticket',
  agentRepliesAreText: 'ticket.reply.text_only',
  assigneeMustBeActive: 'ticket.assignee.must_be_active',
  tagFormat: 'ticket.tag.format',
} as const;
export type TicketRule = (typeof TicketRule)[keyof typeof TicketRule];

export const ruleMessages: Record<TicketRule, string> = {
  'ticket.status.no_return_to_new': 'A ticket never returns to "new" once it has left it.',
  'ticket.reply.needs_active_ticket': 'The ticket is solved: reopen it before replying.',
  'ticket.reply.text_only': "Media can't be sent from the Desk: agents reply with text only.",
  'ticket.assignee.must_be_active': 'Tickets can only be assigned to an active agent.',
  'ticket.tag.format': 'Tags are 1 to 50 letters, digits, "-", "_", ":" or ".".',
};

export type RuleBroken = { ok: false; rule: TicketRule; message: string };
export type RuleCheck = { ok: true } | RuleBroken;

const pass: RuleCheck = { ok: true };
export function broken(rule: TicketRule): RuleBroken {
  return { ok: false, rule, message: ruleMessages[rule] };
}

/** Whether a ticket in `from` may move to `to`. Staying put is always allowed. */
export function checkStatusChange(from: TicketStatus, to: TicketStatus): RuleCheck {
  if (from === to) return pass;
  if (to === 'new') return broken(TicketRule.noReturnToNew);
  return pass;
}

/** The statuses an agent may pick for a ticket now: the PWA offers exactly these. */
export function allowedStatuses(from: TicketStatus): TicketStatus[] {
  return TICKET_STATUSES.filter((to) => checkStatusChange(from, to).ok);
}

/** Assigning an agent to a `new` ticket opens it; nothing else changes the status. */
export function statusAfterAssignment(status: TicketStatus, assigneeId: string | null): TicketStatus {
  return status === 'new' && assigneeId !== null ? 'open' : status;
}

export function checkReply(status: TicketStatus, hasAttachments: boolean): RuleCheck {
  if (hasAttachments) return broken(TicketRule.agentRepliesAreText);
  if (!isActiveStatus(status)) return broken(TicketRule.replyNeedsActiveTicket);
  return pass;
}

const TAG_PATTERN = /^[\p{L}\p{N}_\-:.]{1,50}$/u;

/** Tags are compared case-insensitively and stored lower-case with spaces as dashes. */
export function normalizeTag(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, '-');
}

export function checkTag(tag: string): RuleCheck {
  return TAG_PATTERN.test(tag) ? pass : broken(TicketRule.tagFormat);
}

export function addTag(tags: readonly string[], tag: string): string[] {
  const normal = normalizeTag(tag);
  return tags.includes(normal) ? [...tags] : [...tags, normal];
}

export function removeTag(tags: readonly string[], tag: string): string[] {
  const normal = normalizeTag(tag);
  return tags.filter((t) => t !== normal);
}

/** The fields of a ticket that agents change. */
export interface TicketState {
  status: TicketStatus;
  priority: TicketPriority;
  assigneeId: string | null;
  tags: string[];
  solvedAt: string | null;
}

export interface TicketChange {
  status?: TicketStatus;
  priority?: TicketPriority;
  assigneeId?: string | null;
  tags?: string[];
}

export type ChangeResult<T> = { ok: true; value: T } | RuleBroken;

/**
 * Applies an agent's change to a ticket, checking every rule. Pure: the server uses it to
 * validate and store, the PWA to show the optimistic result.
 */
export function applyTicketChange<T extends TicketState>(
  ticket: T,
  change: TicketChange,
  context: { now: string; isActiveAgent?: (agentId: string) => boolean },
): ChangeResult<T> {
  let status = ticket.status;
  if (change.status !== undefined) {
    const check = checkStatusChange(ticket.status, change.status);
    if (!check.ok) return check;
    status = change.status;
  }
  let assigneeId = ticket.assigneeId;
  if (change.assigneeId !== undefined) {
    if (change.assigneeId !== null && context.isActiveAgent && !context.isActiveAgent(change.assigneeId)) {
      return broken(TicketRule.assigneeMustBeActive);
    }
    assigneeId = change.assigneeId;
    status = statusAfterAssignment(status, assigneeId);
  }
  let tags = ticket.tags;
  if (change.tags !== undefined) {
    const normal = [...new Set(change.tags.map(normalizeTag))];
    for (const tag of normal) {
      const check = checkTag(tag);
      if (!check.ok) return check;
    }
    tags = normal;
  }
  const priority = change.priority ?? ticket.priority;
  let solvedAt = ticket.solvedAt;
  if (status === 'solved' && ticket.status !== 'solved') solvedAt = context.now;
  if (status !== 'solved') solvedAt = null;
  return { ok: true, value: { ...ticket, status, priority, assigneeId, tags, solvedAt } };
}
