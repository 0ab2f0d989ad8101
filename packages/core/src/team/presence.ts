import { z } from 'zod';

/**
 * Presence: who else has a ticket open and who is typing a reply. Ephemeral: held in the server's
 * memory with a time to live, carried on the sync stream as `presence` events, never in the change
 * log nor in IndexedDB.
 */

/** A viewer disappears this long after their last heartbeat… */
export const VIEWING_TTL_MS = 30_000;
/** …and "is replying…" this long after their last keystroke. */
export const TYPING_TTL_MS = 5_000;
/** A client repeats its state this often while nothing changes (well inside the viewing TTL). */
export const HEARTBEAT_MS = 15_000;
/** While the agent keeps typing, "typing" is repeated at most this often (inside its TTL). */
export const TYPING_REFRESH_MS = 4_000;

/** What a client tells the server (`POST /api/presence`). */
export const PresenceBeat = z.object({
  ticketId: z.string().min(1).max(100).nullable(),
  typing: z.boolean(),
});
export type PresenceBeat = z.infer<typeof PresenceBeat>;

/** One agent on one ticket, as the stream's `presence` event lists them. */
export const PresenceEntry = z.object({
  agentId: z.string(),
  name: z.string(),
  ticketId: z.string(),
  typing: z.boolean(),
});
export type PresenceEntry = z.infer<typeof PresenceEntry>;
export const PresenceEvent = z.object({ entries: z.array(PresenceEntry) });
export type PresenceEvent = z.infer<typeof PresenceEvent>;

/** "AL" for Ana Lima, "B" for Bruno. */
export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '';
  return `${first}${last}`.toUpperCase();
}

/**
 * When a client sends a heartbeat: only when its state changed, when "typing" needs refreshing
 * before its TTL runs out, or every HEARTBEAT_MS while nothing changes. Pure: the PWA and the
 * presence benchmark drive the same schedule.
 */
export class PresenceSchedule {
  private sent: PresenceBeat | null = null;
  private sentAt = -Infinity;

  /**
   * What to send now given the wanted state, or null to stay quiet. `lastKeystroke`: when the agent
   * last typed (typing is refreshed only when they typed since the last beat).
   */
  next(wanted: PresenceBeat, now: number, lastKeystroke = now): PresenceBeat | null {
    // "Stopped typing" is no news: typing expires on the server by itself (its TTL).
    const changed = !this.sent || this.sent.ticketId !== wanted.ticketId || (wanted.typing && !this.sent.typing);
    const typingStale = wanted.typing && lastKeystroke > this.sentAt && now - this.sentAt >= TYPING_REFRESH_MS;
    const heartbeatDue = wanted.ticketId !== null && now - this.sentAt >= HEARTBEAT_MS;
    // Nobody to tell: on no ticket, the server forgets us by itself once told (or never knew of us).
    if (!this.sent && wanted.ticketId === null) return null;
    if (!changed && !typingStale && !heartbeatDue) return null;
    if (!changed && wanted.ticketId === null) return null;
    this.sent = { ...wanted };
    this.sentAt = now;
    return wanted;
  }

  /** The connection came back: the server may have forgotten us, so the next beat is sent. */
  reset(): void {
    this.sent = null;
    this.sentAt = -Infinity;
  }
}
