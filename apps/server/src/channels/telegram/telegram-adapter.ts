import { randomUUID } from 'node:crypto';
import type { QuickReply } from '@desk/core';
import type { ConversationRecord } from '../../conversations/conversations-repo.ts';
import { type ChannelAdapter, ChannelSendError } from '../channel-adapter.ts';
import type { ChannelSettings } from '../channel-settings.ts';
import type { ChannelsConfig } from '../channels-config.ts';
import type { MediaSource } from '../inbound/channel-inbound.ts';
import { downloadLimited, type FetchFn, MediaFetchError } from '../media/media-download.ts';
import type { MediaFetcher } from '../media/media-download-worker.ts';
import { callPlatform } from '../platform-http.ts';

/** Telegram's error body: `{ ok: false, error_code, description }`. */
export function telegramReason(body: unknown): string | null {
  const description = (body as { description?: unknown } | null)?.description;
  return typeof description === 'string' ? description : null;
}

/** Bots may download files up to 20 MB (Bot API limit). */
export const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

interface Deps {
  settings: ChannelSettings;
  config: ChannelsConfig;
  fetch: FetchFn;
}

/** Chat ids are integers; Telegram accepts them as numbers (and @channel names as strings). */
function chatIdOf(externalId: string): number | string {
  return /^-?\d{1,16}$/.test(externalId) && Number.isSafeInteger(Number(externalId)) ? Number(externalId) : externalId;
}

export class TelegramClient {
  constructor(private readonly deps: Deps) {}

  token(): string {
    const token = this.deps.settings.value('telegram', 'botToken');
    if (!token || !this.deps.settings.active('telegram')) throw new ChannelSendError('The Telegram channel is not configured.', true);
    return token;
  }

  call<T>(method: string, json: unknown, token = this.token()): Promise<T> {
    return callPlatform<T>({
      platform: 'Telegram',
      url: `${this.deps.config.telegramApiUrl}/bot${token}/${method}`,
      json,
      timeoutMs: this.deps.config.requestTimeoutMs,
      reasonOf: telegramReason,
    });
  }

  /** `setWebhook` with the secret Telegram must send back on every update. */
  setWebhook(url: string): Promise<{ ok: boolean; description?: string }> {
    const values = this.deps.settings.values('telegram');
    if (!values.botToken || !values.webhookSecret) throw new ChannelSendError('Set the bot token and the webhook secret first.', false);
    return this.call('setWebhook', { url, secret_token: values.webhookSecret, allowed_updates: ['message', 'callback_query'], drop_pending_updates: false }, values.botToken);
  }
}

/** Outbound text to a Telegram chat: `sendMessage`. */
export class TelegramAdapter implements ChannelAdapter {
  readonly channel = 'telegram' as const;

  constructor(private readonly client: TelegramClient) {}

  sendText(conversation: ConversationRecord, text: string): Promise<{ channelMessageId: string }> {
    return this.send(conversation, { chat_id: chatIdOf(conversation.externalId), text });
  }

  /** The choices as an inline keyboard, one button a row; a press comes back as a `callback_query` with the value. */
  sendChoices(conversation: ConversationRecord, text: string, choices: readonly QuickReply[]): Promise<{ channelMessageId: string }> {
    const inline_keyboard = choices.map((choice) => [{ text: choice.label, callback_data: choice.value }]);
    return this.send(conversation, { chat_id: chatIdOf(conversation.externalId), text, reply_markup: { inline_keyboard } });
  }

  private async send(conversation: ConversationRecord, json: Record<string, unknown>): Promise<{ channelMessageId: string }> {
    const body = await this.client.call<{ result?: { message_id?: unknown } }>('sendMessage', json);
    const sentId = body?.result?.message_id;
    return { channelMessageId: `${conversation.externalId}:${typeof sentId === 'number' || typeof sentId === 'string' ? sentId : `out-${randomUUID()}`}` };
  }
}

/** `getFile`, then the download from `{api}/file/bot<TOKEN>/<file_path>`. */
export class TelegramMediaFetcher implements MediaFetcher {
  constructor(
    private readonly client: TelegramClient,
    private readonly deps: Deps,
  ) {}

  async fetch(source: MediaSource, maxBytes: number) {
    if (source.type !== 'telegram-file') throw new MediaFetchError('Not a Telegram file.', false);
    let token: string;
    let file: { result?: { file_path?: unknown; file_size?: unknown } };
    try {
      token = this.client.token();
      file = await this.client.call('getFile', { file_id: source.fileId }, token);
    } catch (err) {
      if (err instanceof ChannelSendError) throw new MediaFetchError(err.message, err.retryable);
      throw err;
    }
    const path = file?.result?.file_path;
    if (typeof path !== 'string' || path === '') throw new MediaFetchError('Telegram gave no file path (files over 20 MB cannot be downloaded by bots).', false);
    const limit = Math.min(maxBytes, TELEGRAM_DOWNLOAD_LIMIT);
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return downloadLimited(this.deps.fetch, `${this.deps.config.telegramApiUrl}/file/bot${token}/${encoded}`, {
      maxBytes: limit,
      timeoutMs: this.deps.config.requestTimeoutMs * 4,
      platform: 'Telegram',
    });
  }
}
