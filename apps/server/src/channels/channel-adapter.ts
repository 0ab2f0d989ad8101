import type { Channel } from '@desk/core';
import type { ConversationRecord } from '../conversations/conversations-repo.ts';
import type { InboundMessage } from '../conversations/engine.ts';

/**
 * One messaging platform behind one interface: turn its webhook bodies into inbound messages,
 * send text out. The engine never knows which platform it talks to.
 */
export interface ChannelAdapter {
  readonly channel: Channel;
  /** Platform payload → the engine's inbound messages (a webhook may carry several, or none). */
  normalizeInbound?(payload: unknown): InboundMessage[];
  /** Sends text to the conversation's user; throws `ChannelSendError` when it can't. */
  sendText(conversation: ConversationRecord, text: string): Promise<{ channelMessageId: string }>;
}

/** A failed send. Retryable ones (network, 5xx, 429) are tried again with backoff; the rest fail the message. */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}
