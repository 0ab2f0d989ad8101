import type { Message, SyncChange, Ticket, TicketStatus } from '@desk/core';

/**
 * What deserves an alert, derived from a pulled page of server changes compared with what this
 * device showed before applying it. The agent's own actions are on screen already (optimistic
 * rows, the reply's client-made id), so they never differ from the server's echo: whatever does
 * differ was done by someone else. Pure, unit-tested.
 */
export type AlertEvent =
  | { kind: 'created'; ticketId: string; number: number; subject: string; at: string }
  | { kind: 'message'; ticketId: string; number: number | null; author: 'user' | 'agent'; text: string; at: string }
  | { kind: 'assigned'; ticketId: string; number: number; assigneeId: string | null; at: string }
  | { kind: 'status'; ticketId: string; number: number; status: TicketStatus; at: string }
  /** A colleague's internal note mentions this agent (on any ticket, theirs or not). */
  | { kind: 'mention'; ticketId: string; number: number | null; authorId: string | null; text: string; at: string };

export interface BeforePage {
  /** The tickets of the page as the device showed them (undefined: not on the device). */
  tickets: ReadonlyMap<string, Pick<Ticket, 'status' | 'assigneeId' | 'number'> | undefined>;
  /** Ids of the page's messages the device already had. */
  messages: ReadonlySet<string>;
  /**
   * Tickets with the agent's own changes still in the outbox. The server's row may then lag the
   * screen by those changes (a pull between two quick actions), so its status and assignee are not
   * compared: the agent is working on that ticket right now.
   */
  acting?: ReadonlySet<string>;
}

/** The ticket and message ids whose "before" the caller must read. */
export function idsToCompare(changes: readonly SyncChange[]): { tickets: string[]; messages: string[] } {
  const tickets = new Set<string>();
  const messages: string[] = [];
  for (const change of changes) {
    if (change.op !== 'put') continue;
    if (change.entity === 'ticket') tickets.add(change.id);
    if (change.entity === 'message') {
      messages.push(change.id);
      const ticketId = (change.data as Message).ticketId;
      if (ticketId) tickets.add(ticketId);
    }
  }
  return { tickets: [...tickets], messages };
}

export function detectAlerts(changes: readonly SyncChange[], before: BeforePage, me: string): AlertEvent[] {
  const events: AlertEvent[] = [];
  const numbers = new Map<string, number>();
  for (const [id, ticket] of before.tickets) if (ticket) numbers.set(id, ticket.number);
  for (const change of changes) if (change.op === 'put' && change.entity === 'ticket') numbers.set(change.id, (change.data as Ticket).number);

  for (const change of changes) {
    if (change.op !== 'put') continue;
    if (change.entity === 'ticket') {
      const now = change.data as Ticket;
      const was = before.tickets.get(change.id);
      if (!was) {
        events.push({ kind: 'created', ticketId: now.id, number: now.number, subject: now.subject, at: now.updatedAt });
        continue;
      }
      if (before.acting?.has(now.id)) continue;
      if (was.assigneeId !== now.assigneeId) events.push({ kind: 'assigned', ticketId: now.id, number: now.number, assigneeId: now.assigneeId, at: now.updatedAt });
      if (was.status !== now.status) events.push({ kind: 'status', ticketId: now.id, number: now.number, status: now.status, at: now.updatedAt });
    } else if (change.entity === 'message') {
      const message = change.data as Message;
      if (!message.ticketId || before.messages.has(message.id)) continue;
      if (message.authorKind === 'note') {
        if (message.agentId !== me && message.mentions?.includes(me)) {
          events.push({ kind: 'mention', ticketId: message.ticketId, number: numbers.get(message.ticketId) ?? null, authorId: message.agentId, text: message.text, at: message.createdAt });
        }
        continue;
      }
      const fromUser = message.authorKind === 'user';
      const fromColleague = message.authorKind === 'agent' && message.agentId !== me;
      if (!fromUser && !fromColleague) continue;
      events.push({
        kind: 'message',
        ticketId: message.ticketId,
        number: numbers.get(message.ticketId) ?? null,
        author: fromUser ? 'user' : 'agent',
        text: message.text || message.attachments.map((a) => a.name).join(', '),
        at: message.createdAt,
      });
    }
  }
  return events;
}

export type AlertSummary =
  | { kind: 'none' }
  /** One event: told as it is. */
  | { kind: 'one'; event: AlertEvent }
  /** Several events of one ticket (a new ticket with its first messages counts as "created"). */
  | { kind: 'ticket'; ticketId: string; number: number | null; updates: number; created: AlertEvent | null }
  /** Several tickets (e.g. what arrived while the app was closed or offline): one summary. */
  | { kind: 'many'; tickets: number; created: number; updates: number };

export function summarize(events: readonly AlertEvent[]): AlertSummary {
  if (events.length === 0) return { kind: 'none' };
  const byTicket = new Map<string, AlertEvent[]>();
  for (const event of events) byTicket.set(event.ticketId, [...(byTicket.get(event.ticketId) ?? []), event]);
  if (byTicket.size === 1) {
    const [ticketId, list] = [...byTicket][0] as [string, AlertEvent[]];
    const created = list.find((e) => e.kind === 'created') ?? null;
    if (list.length === 1 || created) {
      return created ? { kind: 'one', event: created } : { kind: 'one', event: list[0] as AlertEvent };
    }
    const number = list.find((e) => e.number !== null)?.number ?? null;
    return { kind: 'ticket', ticketId, number, updates: list.length, created };
  }
  let created = 0;
  for (const list of byTicket.values()) if (list.some((e) => e.kind === 'created')) created += 1;
  return { kind: 'many', tickets: byTicket.size, created, updates: events.length };
}

/**
 * The time of the last change by others per ticket (what "unread" compares with the read mark),
 * merged with new events; tickets already read since are dropped, so the map stays small.
 */
export function mergeActivity(
  activity: Readonly<Record<string, string>>,
  events: readonly AlertEvent[],
  readAt: (ticketId: string) => string | undefined,
): Record<string, string> {
  const next: Record<string, string> = { ...activity };
  for (const event of events) {
    const current = next[event.ticketId];
    if (!current || event.at > current) next[event.ticketId] = event.at;
  }
  for (const [ticketId, at] of Object.entries(next)) {
    const read = readAt(ticketId);
    if (read !== undefined && read >= at) delete next[ticketId];
  }
  return next;
}
