import { isoTime } from '../shared/clock.ts';

/**
 * Times in one conversation's order: a bot answer written in the same millisecond as the user's
 * message still sorts after it, and a ticket (or a Zendesk hand-off) opened between two messages
 * sorts between them (the PWA splits the transcript at the ticket's `createdAt`; the next hand-off's
 * transcript starts after the previous one's). Only a conversation's own stamps push it ahead, by a
 * millisecond each within one millisecond of wall time, so it stays on the wall clock.
 *
 * The order holds within one process (each thread and instance keeps its own): two messages of a
 * conversation stamped by two threads in the same millisecond may tie, as a truly simultaneous
 * agent reply and user message would anyway.
 */
export type ConversationClock = (conversationId: string) => string;

/** Beyond this many conversations remembered, those no longer ahead of the wall clock are forgotten. */
const SWEEP_ABOVE = 1_000;

export function conversationClock(now: () => number = Date.now): ConversationClock {
  // Only a stamp at or after the wall clock constrains the next one: older ones are swept.
  const last = new Map<string, number>();
  let sweptAt = Number.NEGATIVE_INFINITY;
  return (conversationId) => {
    const wall = now();
    if (last.size > SWEEP_ABOVE && wall !== sweptAt) {
      sweptAt = wall;
      for (const [id, at] of last) if (at < wall) last.delete(id);
    }
    const previous = last.get(conversationId);
    const at = previous === undefined || previous < wall ? wall : previous + 1;
    last.set(conversationId, at);
    return isoTime(at);
  };
}
