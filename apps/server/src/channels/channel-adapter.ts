import type { Channel, QuickReply } from '@desk/core';
import type { ConversationRecord } from '../conversations/conversations-repo.ts';

/**
 * One messaging platform's way out: send text to a conversation's user (its webhook is a route
 * that fills the inbox). The engine never knows which platform it talks to.
 */
export interface ChannelAdapter {
  readonly channel: Channel;
  /** Sends text to the conversation's user; throws `ChannelSendError` when it can't. */
  sendText(conversation: ConversationRecord, text: string): Promise<{ channelMessageId: string }>;
  /**
   * Sends a bot question with its choices as the platform's buttons (Telegram inline keyboard,
   * WhatsApp reply buttons). Channels without it get the question with a numbered list.
   */
  sendChoices?(conversation: ConversationRecord, text: string, choices: readonly QuickReply[]): Promise<{ channelMessageId: string }>;
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
