import type { Message } from '@desk/core';
import type { DeskDb } from '../../local/index.ts';
import { readTicketBundle, type TicketBundle } from '../../local/ticket-data.ts';

/**
 * Reads started when a finger touches a list row, before the tap completes (a tap lasts ~100 ms on
 * a phone): the ticket view paints from them while its live query starts. Only the latest few are kept.
 */
const prefetched = new Map<string, { at: number; reading: Promise<TicketBundle> }>();
/** Reads older than this (a touch that became a scroll, not a tap) are not shown, even for a moment. */
const FRESH_MS = 2000;

export function prefetchTicket(db: DeskDb, ticketId: string, agentId: string): void {
  const at = performance.now();
  if ((prefetched.get(ticketId)?.at ?? -Infinity) > at - FRESH_MS) return;
  const reading = readTicketBundle(db, ticketId, agentId);
  reading.catch(() => prefetched.delete(ticketId));
  prefetched.delete(ticketId);
  prefetched.set(ticketId, { at, reading });
  for (const key of prefetched.keys()) if (prefetched.size > 3) prefetched.delete(key);
}

/** The prefetched reads for a ticket, once (a later view of it reads afresh). */
export function takePrefetched(ticketId: string): Promise<TicketBundle> | undefined {
  const entry = prefetched.get(ticketId);
  prefetched.delete(ticketId);
  return entry && entry.at > performance.now() - FRESH_MS ? entry.reading : undefined;
}

/**
 * The new messages with the previous objects kept where nothing changed, so a live update (a new
 * message, a delivery state) re-renders only what changed instead of the whole conversation.
 */
export function reuseUnchanged(previous: readonly Message[], next: Message[]): Message[] {
  if (previous.length === 0) return next;
  const before = new Map(previous.map((m) => [m.id, m]));
  return next.map((message) => {
    const old = before.get(message.id);
    return old && JSON.stringify(old) === JSON.stringify(message) ? old : message;
  });
}
