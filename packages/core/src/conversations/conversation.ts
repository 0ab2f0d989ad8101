import { z } from 'zod';
import { Channel } from './channel.ts';

/** `zendesk`: a Zendesk Support ticket holds the conversation; `zendesk_messaging`: a Zendesk agent has it through Sunshine Conversations. */
export const CONVERSATION_MODES = ['bot', 'desk', 'zendesk', 'zendesk_messaging'] as const;
export const ConversationMode = z.enum(CONVERSATION_MODES);
export type ConversationMode = z.infer<typeof ConversationMode>;

/** One per contact per channel identity. In every mode but `bot` the bot is silent and an agent answers. */
export const Conversation = z.object({
  id: z.string(),
  contactId: z.string(),
  channel: Channel,
  externalId: z.string(),
  mode: ConversationMode,
  activeTicketId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Conversation = z.infer<typeof Conversation>;
