import type { Message } from '../conversations/message.ts';

/**
 * Whether a message, as stored now, goes to the agents' devices (the change log). Agents see
 * messages in tickets only: the PWA's ticket view, search, alerts and eviction all read them by
 * `ticketId`. Bot talk in a conversation no ticket holds yet is nobody's to see, and it is most of
 * what the bot writes (the user's message, the reply, the reply again once sent). The hand-off that
 * opens a ticket logs every message it takes in, as stored at that moment (final delivery state
 * included), so the ticket still carries the whole bot conversation, online, offline or on a new
 * device. A message never leaves its ticket, so once logged it stays logged.
 */
export function reachesAgents(message: Pick<Message, 'ticketId'>): boolean {
  return message.ticketId !== null;
}
