import type { Message } from '../conversations/message.ts';

/**
 * Collision: an agent sends a reply while another agent's reply was added to the ticket after the
 * first one opened it. `seenAt` is the server time of the newest reply by another agent that the
 * ticket had when the agent opened it (null: there was none); every reply by another agent stored
 * after it is a collision. Times are the server's (replies by others come from the server), so the
 * PWA (before sending) and the server (when an offline reply arrives) judge alike.
 */

type Reply = Pick<Message, 'authorKind' | 'agentId' | 'createdAt'>;

const byAnotherAgent = (message: Reply, agentId: string) => message.authorKind === 'agent' && message.agentId !== null && message.agentId !== agentId;

/** What `seenAt` is for an agent looking at these messages now. */
export function replySeenAt(messages: readonly Reply[], agentId: string): string | null {
  let seen: string | null = null;
  for (const message of messages) if (byAnotherAgent(message, agentId) && (seen === null || message.createdAt > seen)) seen = message.createdAt;
  return seen;
}

/** The replies by other agents added after `seenAt`, oldest first: non-empty means the reply collides. */
export function collidingReplies<M extends Reply>(messages: readonly M[], agentId: string, seenAt: string | null): M[] {
  return messages
    .filter((message) => byAnotherAgent(message, agentId) && (seenAt === null || message.createdAt > seenAt))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/** The rule a held reply carries (code `conflict`), so the PWA can tell it from other refusals. */
export const REPLY_COLLISION_RULE = 'ticket.reply.collision';
export const REPLY_COLLISION_MESSAGE = 'Another agent replied after you opened this ticket: your reply was held.';
