import { z } from 'zod';
import { AttachmentKind } from './message.ts';
import { QuickReply } from './quick-reply.ts';

/** A message as the web chat visitor sees it (the widget's contract with the server). */
export const WebchatMessage = z.object({
  id: z.string(),
  authorKind: z.enum(['user', 'bot', 'agent', 'system']),
  text: z.string(),
  attachments: z.array(
    z.object({ kind: AttachmentKind, mimeType: z.string(), size: z.number().int().nonnegative(), name: z.string(), url: z.string() }),
  ),
  createdAt: z.string(),
  /** The replying agent's name, on agent messages. */
  agentName: z.string().optional(),
  /** Buttons under a bot question; pressing one sends its label. */
  quickReplies: z.array(QuickReply).optional(),
});
export type WebchatMessage = z.infer<typeof WebchatMessage>;
