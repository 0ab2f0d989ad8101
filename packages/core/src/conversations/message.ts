import { z } from 'zod';
import { QuickReply } from './quick-reply.ts';

export const ATTACHMENT_KINDS = ['image', 'audio', 'video', 'file'] as const;
export const AttachmentKind = z.enum(ATTACHMENT_KINDS);
export type AttachmentKind = z.infer<typeof AttachmentKind>;

export const Attachment = z.object({
  kind: AttachmentKind,
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
  name: z.string(),
  /** Served only to signed-in agents (and to the visitor who sent it, on the web chat). */
  url: z.string(),
  /**
   * Files that Desk fetches from a messaging platform after acknowledging its webhook: `pending`
   * until downloaded (the URL answers 404 meanwhile), `failed` with the reason once it gave up.
   * Absent for files received directly (web chat).
   */
  download: z
    .object({ state: z.enum(['pending', 'stored', 'failed']), error: z.string().nullable().optional(), attempts: z.number().int().nonnegative().optional() })
    .optional(),
});
export type Attachment = z.infer<typeof Attachment>;

/** `note`: an internal note between agents, never shown to the end user (see team/notes.ts). */
export const AUTHOR_KINDS = ['user', 'bot', 'agent', 'system', 'note'] as const;
export const AuthorKind = z.enum(AUTHOR_KINDS);
export type AuthorKind = z.infer<typeof AuthorKind>;

/** Delivery of an outbound message to the user's channel. */
export const DELIVERY_STATES = ['pending', 'sent', 'delivered', 'failed'] as const;
export const DeliveryState = z.enum(DELIVERY_STATES);
export type DeliveryState = z.infer<typeof DeliveryState>;

export const Delivery = z.object({
  state: DeliveryState,
  error: z.string().nullable().optional(),
  attempts: z.number().int().nonnegative().optional(),
});
export type Delivery = z.infer<typeof Delivery>;

export const MESSAGE_TEXT_MAX = 4000;

export const Message = z.object({
  id: z.string(),
  conversationId: z.string(),
  ticketId: z.string().nullable(),
  authorKind: AuthorKind,
  agentId: z.string().nullable(),
  text: z.string(),
  attachments: z.array(Attachment),
  channelMessageId: z.string().nullable(),
  delivery: Delivery.nullable(),
  createdAt: z.string(),
  /** The choices a bot message offers (see QuickReply); absent on all other messages. */
  quickReplies: z.array(QuickReply).optional(),
  /** The agents an internal note mentions (`@name`); absent on all other messages. */
  mentions: z.array(z.string()).optional(),
});
export type Message = z.infer<typeof Message>;

/** Guesses the attachment kind from a MIME type. */
export function attachmentKindOf(mimeType: string): AttachmentKind {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('audio/')) return 'audio';
  if (mimeType.startsWith('video/')) return 'video';
  return 'file';
}
