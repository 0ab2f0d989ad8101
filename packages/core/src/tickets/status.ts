import { z } from 'zod';

/** Ticket statuses in their order. A ticket is active while its status is below `solved`. */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on-hold', 'solved'] as const;
export const TicketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatus>;

/** Statuses an intent may create a ticket in (on-hold only comes from an agent). */
export const INTENT_TICKET_STATUSES = ['new', 'open', 'pending', 'solved'] as const;
export const IntentTicketStatus = z.enum(INTENT_TICKET_STATUSES);
export type IntentTicketStatus = z.infer<typeof IntentTicketStatus>;

export function statusRank(status: TicketStatus): number {
  return TICKET_STATUSES.indexOf(status);
}

/** Active tickets carry the conversation between user and agents. */
export function isActiveStatus(status: TicketStatus): boolean {
  return statusRank(status) < statusRank('solved');
}
