import { z } from 'zod';
import { Contact } from '../contacts/contact.ts';
import { Channel } from '../conversations/channel.ts';
import { Message } from '../conversations/message.ts';
import { IntentInput } from '../intents/intent.ts';

/** Why a user message went to the misses inbox. */
export const MISS_REASONS = ['fallback', 'unanswered_ask', 'asked_person'] as const;
export const MissReason = z.enum(MISS_REASONS);
export type MissReason = z.infer<typeof MissReason>;

export const MissEntry = z.object({
  id: z.string(),
  messageId: z.string(),
  conversationId: z.string(),
  /** The ticket the conversation went to, when there is one (the link to open it). */
  ticketId: z.string().nullable(),
  text: z.string(),
  language: z.string().nullable(),
  channel: Channel,
  reason: MissReason,
  createdAt: z.string(),
});
export type MissEntry = z.infer<typeof MissEntry>;

/** Similar misses shown as one row: how many, and a few examples. */
export const MissGroup = z.object({
  id: z.string(),
  size: z.number().int(),
  label: z.string(),
  entryIds: z.array(z.string()),
  examples: z.array(MissEntry),
});
export type MissGroup = z.infer<typeof MissGroup>;

export const MissGroups = z.object({ groups: z.array(MissGroup), total: z.number().int() });
export type MissGroups = z.infer<typeof MissGroups>;

const entryIds = z.array(z.string().min(1).max(100)).min(1, 'Choose at least one message.').max(1000);

/** What an admin does with a group of misses. */
export const MissAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('add_to_intent'), entryIds, intentId: z.string().min(1) }),
  z.object({ action: z.literal('create_intent'), entryIds, intent: IntentInput.omit({ phrases: true }) }),
  z.object({ action: z.literal('dismiss'), entryIds }),
]);
export type MissAction = z.infer<typeof MissAction>;

export const MissActionResult = z.object({ resolved: z.number().int(), intentId: z.string().nullable() });
export type MissActionResult = z.infer<typeof MissActionResult>;

/**
 * The conversation a miss came from, read-only (admins, from the misses inbox): what the
 * conversation view shows, also for a conversation that never became a ticket.
 */
export const MissConversation = z.object({
  conversationId: z.string(),
  channel: Channel,
  language: z.string().nullable(),
  contact: Contact.nullable(),
  /** The ticket it went to, when there is one. */
  ticketId: z.string().nullable(),
  messages: z.array(Message),
});
export type MissConversation = z.infer<typeof MissConversation>;
