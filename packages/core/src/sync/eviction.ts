import type { Ticket } from '../tickets/ticket.ts';

/** How many days of recently updated tickets a device keeps, whatever their status. */
export const LOCAL_DAYS_DEFAULT = 90;
const DAY_MS = 86_400_000;

/**
 * Whether a device may drop a ticket and its messages (it stays on the server, and comes back when
 * searched, opened or changed): solved, not assigned to this agent, and not updated in the last
 * `days` days. Open tickets (new, open, pending, on-hold), the agent's own, and recent ones stay.
 */
export function isEvictable(ticket: Pick<Ticket, 'status' | 'assigneeId' | 'updatedAt'>, agentId: string, now: number, days = LOCAL_DAYS_DEFAULT): boolean {
  return ticket.status === 'solved' && ticket.assigneeId !== agentId && Date.parse(ticket.updatedAt) < now - days * DAY_MS;
}

/** The `updatedAt` before which a solved ticket may be dropped. */
export function evictionCutoff(now: number, days = LOCAL_DAYS_DEFAULT): string {
  return new Date(now - days * DAY_MS).toISOString();
}
