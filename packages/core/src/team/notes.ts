import type { Message } from '../conversations/message.ts';

/**
 * Internal notes: a message agents write to each other inside a ticket. Who may see one: agents
 * only. The end user never does (no channel, no web chat, no Zendesk comment, no bot transcript);
 * the server keeps notes apart from the conversation's messages, and every path towards a user
 * filters with `visibleToEndUser` as well.
 */

/** Whether the end user may ever see this message (on any channel, the web chat or a transcript). */
export function visibleToEndUser(message: Pick<Message, 'authorKind'>): boolean {
  return message.authorKind !== 'note';
}

/** The note a `ticket.note` mutation becomes: the PWA shows this at once, the server stores the same. */
export function noteMessage(
  args: { ticketId: string; messageId: string; text: string },
  ticket: { id: string; conversationId: string },
  agentId: string,
  mentions: readonly string[],
  now: string,
): Message {
  return {
    id: args.messageId,
    conversationId: ticket.conversationId,
    ticketId: ticket.id,
    authorKind: 'note',
    agentId,
    text: args.text,
    attachments: [],
    channelMessageId: null,
    delivery: null,
    createdAt: now,
    mentions: [...mentions],
  };
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();

/**
 * The agents a note mentions: `@Bruno` (first name) or `@bruno.lima` / `@"Bruno Lima"` style
 * full names with the spaces written as dots, dashes or underscores; accents and case don't matter.
 * Only active agents can be mentioned; the author mentioning themselves is ignored.
 */
export function mentionedAgents(text: string, agents: readonly { id: string; name: string; active?: boolean }[], authorId: string): string[] {
  const words = new Set<string>();
  for (const match of text.matchAll(/(^|[^\p{L}\p{N}_])@([\p{L}\p{N}][\p{L}\p{N}._-]*)/gu)) {
    const word = fold(match[2] ?? '').replace(/[._-]+$/, '');
    if (word) words.add(word);
  }
  if (words.size === 0) return [];
  const ids: string[] = [];
  for (const agent of agents) {
    if (agent.active === false || agent.id === authorId) continue;
    const full = fold(agent.name).trim();
    const first = full.split(/\s+/)[0] ?? '';
    const joined = full.replace(/\s+/g, '.');
    const forms = [first, joined, joined.replace(/\./g, '-'), joined.replace(/\./g, '_'), joined.replace(/\./g, '')];
    if (forms.some((form) => form && words.has(form))) ids.push(agent.id);
  }
  return ids;
}
