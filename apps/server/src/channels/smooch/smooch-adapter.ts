import { randomUUID } from 'node:crypto';
import type { QuickReply } from '@desk/core';
import type { ConversationRecord } from '../../conversations/conversations-repo.ts';
import { type ChannelAdapter, ChannelSendError } from '../channel-adapter.ts';
import type { ChannelSettings } from '../channel-settings.ts';
import type { ChannelsConfig } from '../channels-config.ts';
import type { FetchFn } from '../media/media-download.ts';
import { UrlMediaFetcher } from '../media/url-media-fetcher.ts';
import { callPlatform } from '../platform-http.ts';

interface Deps {
  settings: ChannelSettings;
  config: ChannelsConfig;
  fetch: FetchFn;
}

/** Sunshine's error body: `{ errors: [{ code, title }] }`. */
export function smoochReason(body: unknown): string | null {
  const first = (body as { errors?: { code?: unknown; title?: unknown }[] } | null)?.errors?.[0];
  if (!first) return null;
  return [first.title, first.code].filter((v) => typeof v === 'string').join(' — ') || null;
}

function basicAuth(settings: ChannelSettings): string {
  const values = settings.values('smooch');
  if (!values.keyId || !values.keySecret || !settings.active('smooch')) {
    throw new ChannelSendError('The Sunshine Conversations channel is not configured.', true);
  }
  return `Basic ${Buffer.from(`${values.keyId}:${values.keySecret}`).toString('base64')}`;
}

/** `POST {api}/v2/apps/{appId}/conversations/{conversationId}/messages` as `business`, HTTP Basic. */
export class SmoochAdapter implements ChannelAdapter {
  readonly channel = 'smooch' as const;

  constructor(private readonly deps: Deps) {}

  sendText(conversation: ConversationRecord, text: string): Promise<{ channelMessageId: string }> {
    return this.send(conversation, { type: 'text', text });
  }

  /** The choices as `reply` actions; a tap comes back as a text message with the action's text and payload. */
  sendChoices(conversation: ConversationRecord, text: string, choices: readonly QuickReply[]): Promise<{ channelMessageId: string }> {
    return this.send(conversation, { type: 'text', text, actions: choices.map((choice) => ({ type: 'reply', text: choice.label, payload: choice.value })) });
  }

  private async send(conversation: ConversationRecord, content: Record<string, unknown>): Promise<{ channelMessageId: string }> {
    const authorization = basicAuth(this.deps.settings);
    const appId = this.deps.settings.value('smooch', 'appId') as string;
    const body = await callPlatform<{ messages?: { id?: unknown }[] }>({
      platform: 'Sunshine Conversations',
      url: `${this.deps.config.smoochApiUrl}/v2/apps/${encodeURIComponent(appId)}/conversations/${encodeURIComponent(conversation.externalId)}/messages`,
      headers: { authorization },
      json: { author: { type: 'business' }, content },
      timeoutMs: this.deps.config.requestTimeoutMs,
      reasonOf: smoochReason,
    });
    const id = body?.messages?.[0]?.id;
    return { channelMessageId: typeof id === 'string' ? id : `out-${randomUUID()}` };
  }
}

/** `mediaUrl` downloads; files kept by Sunshine itself (secure attachments) need the API key. */
export function smoochMediaFetcher(deps: Deps): UrlMediaFetcher {
  const apiOrigin = new URL(deps.config.smoochApiUrl).origin;
  return new UrlMediaFetcher('Sunshine Conversations', deps, (url): Record<string, string> => {
    try {
      return new URL(url).origin === apiOrigin ? { authorization: basicAuth(deps.settings) } : {};
    } catch {
      return {};
    }
  });
}
