import { randomUUID } from 'node:crypto';
import { type QuickReply, withNumberedChoices } from '@desk/core';
import type { ConversationRecord } from '../../conversations/conversations-repo.ts';
import { type ChannelAdapter, ChannelSendError } from '../channel-adapter.ts';
import type { ChannelSettings } from '../channel-settings.ts';
import type { ChannelsConfig } from '../channels-config.ts';
import type { MediaSource } from '../inbound/channel-inbound.ts';
import type { ChannelPeers } from '../inbound/channel-peers.ts';
import { downloadLimited, type FetchFn, MediaFetchError } from '../media/media-download.ts';
import type { MediaFetcher } from '../media/media-download-worker.ts';
import { callPlatform, graphReason } from '../platform-http.ts';

interface Deps {
  settings: ChannelSettings;
  config: ChannelsConfig;
  peers: ChannelPeers;
  fetch: FetchFn;
}

function required(deps: Deps, group: 'whatsapp' | 'messenger' | 'instagram', field: string, label: string): string {
  const value = deps.settings.value(group, field);
  if (!value || !deps.settings.active(group)) throw new ChannelSendError(`The ${label} channel is not configured.`, true);
  return value;
}

const WHATSAPP_MAX_BUTTONS = 3;
const WHATSAPP_BUTTON_TITLE = 20;
const MESSENGER_MAX_QUICK_REPLIES = 13;

/** WhatsApp Cloud API: `POST {graph}/{phone-number-id}/messages` with the bearer token. */
export class WhatsAppAdapter implements ChannelAdapter {
  readonly channel = 'whatsapp' as const;

  constructor(private readonly deps: Deps) {}

  sendText(conversation: ConversationRecord, text: string): Promise<{ channelMessageId: string }> {
    return this.send(conversation, { type: 'text', text: { preview_url: false, body: text } });
  }

  /**
   * Up to three choices as interactive reply buttons (titles cut to WhatsApp's 20 characters; a
   * press comes back as a `button_reply` with the title); more choices as a numbered list.
   */
  sendChoices(conversation: ConversationRecord, text: string, choices: readonly QuickReply[]): Promise<{ channelMessageId: string }> {
    if (choices.length > WHATSAPP_MAX_BUTTONS) return this.sendText(conversation, withNumberedChoices(text, choices));
    const buttons = choices.map((choice) => ({ type: 'reply', reply: { id: choice.value, title: choice.label.slice(0, WHATSAPP_BUTTON_TITLE) } }));
    return this.send(conversation, { type: 'interactive', interactive: { type: 'button', body: { text }, action: { buttons } } });
  }

  private async send(conversation: ConversationRecord, message: Record<string, unknown>): Promise<{ channelMessageId: string }> {
    const phoneNumberId = required(this.deps, 'whatsapp', 'phoneNumberId', 'WhatsApp');
    const token = required(this.deps, 'whatsapp', 'accessToken', 'WhatsApp');
    const body = await callPlatform<{ messages?: { id?: unknown }[] }>({
      platform: 'WhatsApp',
      url: `${this.deps.config.metaGraphUrl}/${encodeURIComponent(phoneNumberId)}/messages`,
      headers: { authorization: `Bearer ${token}` },
      json: { messaging_product: 'whatsapp', recipient_type: 'individual', to: conversation.externalId, ...message },
      timeoutMs: this.deps.config.requestTimeoutMs,
      reasonOf: graphReason,
    });
    const id = body?.messages?.[0]?.id;
    return { channelMessageId: typeof id === 'string' ? id : `out-${randomUUID()}` };
  }
}

/**
 * Messenger and Instagram Send API: `POST {graph}/{page-id}/messages` (the page or Instagram account
 * the user wrote to, remembered from their webhook; `me` otherwise), token as a bearer header.
 */
export class MessagingAdapter implements ChannelAdapter {
  constructor(
    readonly channel: 'messenger' | 'instagram',
    private readonly deps: Deps,
  ) {}

  sendText(conversation: ConversationRecord, text: string): Promise<{ channelMessageId: string }> {
    return this.send(conversation, { text });
  }

  /** The choices as quick replies (titles cut to 20 characters); a tap comes back as a message with that title. */
  sendChoices(conversation: ConversationRecord, text: string, choices: readonly QuickReply[]): Promise<{ channelMessageId: string }> {
    if (choices.length > MESSENGER_MAX_QUICK_REPLIES) return this.sendText(conversation, withNumberedChoices(text, choices));
    const quick_replies = choices.map((choice) => ({ content_type: 'text', title: choice.label.slice(0, WHATSAPP_BUTTON_TITLE), payload: choice.value }));
    return this.send(conversation, { text, quick_replies });
  }

  private async send(conversation: ConversationRecord, message: Record<string, unknown>): Promise<{ channelMessageId: string }> {
    const label = this.channel === 'messenger' ? 'Messenger' : 'Instagram';
    const token = required(this.deps, this.channel, this.channel === 'messenger' ? 'pageAccessToken' : 'accessToken', label);
    const pageId = (await this.deps.peers.get(this.channel, conversation.externalId)).pageId ?? 'me';
    const body = await callPlatform<{ message_id?: unknown }>({
      platform: label,
      url: `${this.deps.config.metaGraphUrl}/${encodeURIComponent(pageId)}/messages`,
      headers: { authorization: `Bearer ${token}` },
      json: {
        recipient: { id: conversation.externalId },
        ...(this.channel === 'messenger' && { messaging_type: 'RESPONSE' }),
        message,
      },
      timeoutMs: this.deps.config.requestTimeoutMs,
      reasonOf: graphReason,
    });
    return { channelMessageId: typeof body?.message_id === 'string' ? body.message_id : `out-${randomUUID()}` };
  }
}

function asFetchError(err: unknown): never {
  if (err instanceof ChannelSendError) throw new MediaFetchError(err.message, err.retryable);
  throw err;
}

/** WhatsApp media: `GET {graph}/{media-id}` gives a short-lived URL, downloaded with the same bearer token. */
export class WhatsAppMediaFetcher implements MediaFetcher {
  constructor(private readonly deps: Deps) {}

  async fetch(source: MediaSource, maxBytes: number) {
    if (source.type !== 'whatsapp-media') throw new MediaFetchError('Not a WhatsApp media id.', false);
    let token: string;
    let info: { url?: unknown; file_size?: unknown };
    try {
      token = required(this.deps, 'whatsapp', 'accessToken', 'WhatsApp');
      info = await callPlatform({
        platform: 'WhatsApp',
        method: 'GET',
        url: `${this.deps.config.metaGraphUrl}/${encodeURIComponent(source.mediaId)}`,
        headers: { authorization: `Bearer ${token}` },
        timeoutMs: this.deps.config.requestTimeoutMs,
        reasonOf: graphReason,
      });
    } catch (err) {
      asFetchError(err);
    }
    if (typeof info?.url !== 'string') throw new MediaFetchError('WhatsApp gave no URL for the media.', false);
    if (typeof info.file_size === 'number' && info.file_size > maxBytes) {
      throw new MediaFetchError('The file is larger than the size limit.', false);
    }
    return downloadLimited(this.deps.fetch, info.url, {
      headers: { authorization: `Bearer ${token}` },
      maxBytes,
      timeoutMs: this.deps.config.requestTimeoutMs * 4,
      platform: 'WhatsApp',
    });
  }
}
