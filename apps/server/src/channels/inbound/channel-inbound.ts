import type { AttachmentKind, Channel, DeliveryState } from '@desk/core';
import type { InboundMessage } from '../../conversations/engine.ts';

/** Where a file a user sent can be fetched from, once the webhook has been acknowledged. */
export type MediaSource =
  | { type: 'telegram-file'; fileId: string }
  | { type: 'whatsapp-media'; mediaId: string }
  | { type: 'url'; url: string };

/** A file announced by a webhook, not downloaded yet. */
export interface PendingMedia {
  kind: AttachmentKind;
  source: MediaSource;
  /** As the platform declared it; the download's Content-Type is used when absent. */
  mimeType: string | null;
  name: string | null;
  size: number | null;
}

/**
 * A platform message, normalised: everything the engine stores in one go (the text, the files
 * pending download, an unsupported type's note, how to reach the sender later).
 */
export interface ChannelInbound extends InboundMessage {
  channelMessageId: string;
  media: PendingMedia[];
  unsupportedType: string | null;
}

/** A platform's report on a message Desk sent (WhatsApp `statuses`). */
export interface DeliveryReport {
  channel: Channel;
  channelMessageId: string;
  state: Extract<DeliveryState, 'sent' | 'delivered' | 'failed'>;
  error: string | null;
}

export interface NormalizedWebhook {
  messages: ChannelInbound[];
  statuses: DeliveryReport[];
}

/** A body the platform can't have sent: answered with 400. */
export class MalformedPayload extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPayload';
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export const idOf = (value: unknown): string | null =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : str(value);

export const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null);

export function unsupportedNote(type: string): string {
  return `unsupported message type: ${type}`;
}
