import type { Message } from '@desk/core';
import type { DeskDb } from '../../local/index.ts';
import { type RowData, readBundleOfRow, readTicketBundle, type TicketBundle } from '../../local/ticket-data.ts';

/**
 * Reads started when a finger touches a list row, before the tap completes (a tap lasts ~100 ms on
 * a phone): the ticket view paints from them while its live query starts. Only the latest few are kept.
 */
const prefetched = new Map<string, Prefetched>();
/** Reads older than this (a touch that became a scroll, not a tap) are not shown, even for a moment. */
const FRESH_MS = 2000;

/** A ticket's reads begun from its list row, and what the row showed of it. */
export interface Prefetched {
  at: number;
  reading: Promise<TicketBundle>;
  /** The reads' answer, once they have answered: a view opened after that renders it at once. */
  answer?: TicketBundle;
  /** The row as the list showed it (read from the store): enough for the view's first paint. */
  row?: RowData;
}

export function prefetchTicket(db: DeskDb, ticketId: string, agentId: string, row?: RowData): void {
  const at = performance.now();
  if ((prefetched.get(ticketId)?.at ?? -Infinity) > at - FRESH_MS) return;
  const entry: Prefetched = { at, reading: row ? readBundleOfRow(db, row) : readTicketBundle(db, ticketId, agentId), ...(row && { row }) };
  entry.reading.then(
    (answer) => {
      entry.answer = answer;
    },
    () => prefetched.delete(ticketId),
  );
  prefetched.delete(ticketId);
  prefetched.set(ticketId, entry);
  for (const key of prefetched.keys()) if (prefetched.size > 3) prefetched.delete(key);
}

/** The prefetched reads for a ticket, once (a later view of it reads afresh). */
export function takePrefetched(ticketId: string): Prefetched | undefined {
  const entry = prefetched.get(ticketId);
  prefetched.delete(ticketId);
  return entry && entry.at > performance.now() - FRESH_MS ? entry : undefined;
}

/**
 * What a list row holds of its ticket, as the view's first bundle: the ticket, its requester, read
 * state and newest message (the row's preview). The view paints its header, the newest message and
 * the composer from it in the tap's own frame; the rest of the conversation follows when the reads answer.
 */
export function bundleOfRow(row: RowData): TicketBundle {
  return { ticket: row.ticket, messages: row.last ? [row.last] : [], contact: row.contact, intentName: row.intentName, read: row.read, othersAt: row.othersAt };
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
