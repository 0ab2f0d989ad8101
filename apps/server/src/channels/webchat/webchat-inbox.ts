import { z } from 'zod';
import type { InboundMessage } from '../../conversations/engine.ts';

/**
 * A visitor's message as the web chat's POST puts it in the inbox: already validated, its file
 * already in the media store, its id already answered to the visitor.
 */
export const WebchatInboxEvent = z.object({
  id: z.uuid(),
  visitorId: z.string().min(1),
  text: z.string(),
  name: z.string().nullable(),
  file: z.object({ mediaId: z.string(), mimeType: z.string(), size: z.number(), name: z.string() }).nullable(),
});
export type WebchatInboxEvent = z.infer<typeof WebchatInboxEvent>;

/** The engine's inbound message for a web chat event from the inbox. */
export function webchatInbound(payload: unknown): InboundMessage {
  const event = WebchatInboxEvent.parse(payload);
  return {
    id: event.id,
    channel: 'webchat',
    externalId: event.visitorId,
    text: event.text,
    attachments: event.file ? [event.file] : [],
    profile: { name: event.name },
  };
}
