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
 * A platform message, normalised: the engine's inbound message plus what Desk does after storing it
 * (download the files, note an unsupported type, remember how to reach the sender).
 */
export interface ChannelInbound extends InboundMessage {
  channelMessageId: string;
  media: PendingMedia[];
  /** A message type Desk does not understand ("location"): kept as a system note, so nothing is lost. */
  unsupportedType: string | null;
  /** Details the channel needs to reply later (the page written to, the real channel behind Sunshine). */
  peer?: Record<string, string>;
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
