import type { HandOffDestination, Intent, WebchatMessage } from '@desk/core';
import { expect } from 'vitest';
import { type ChannelDesk, channelEnv, type StandIns, startChannelDesk, TELEGRAM_TOKEN, telegramSecret } from '../channel-desk.ts';
import { type Json, loadFixture } from '../channel-fixtures.ts';
import type { StandIn } from '../platform-stand-ins.ts';
import type { FakeSunshine } from './fake-sunshine.ts';
import type { FakeZendesk } from './fake-zendesk.ts';

export const MESSAGING_WEBHOOK_SECRET = 'zendesk-messaging-webhook-secret';

/** A Desk on loopback whose Zendesk integrations point at the fakes (and channels at the stand-ins). */
export async function startZendeskDesk(fakes: { zendesk?: FakeZendesk; sunshine?: FakeSunshine; standIns?: StandIns; env?: Record<string, string> }): Promise<ChannelDesk> {
  const desk = await startChannelDesk({
    http: true,
    env: {
      ...channelEnv(fakes.standIns ?? {}),
      ...(fakes.zendesk && { ZENDESK_API_URL: fakes.zendesk.url }),
      ...(fakes.sunshine && { ZENDESK_MESSAGING_API_URL: fakes.sunshine.url }),
      ZENDESK_RETRY_BASE_MS: '50',
      ...fakes.env,
    },
  });
  if (fakes.zendesk) fakes.zendesk.webhookOrigin = desk.url;
  if (fakes.sunshine) fakes.sunshine.webhook = { url: `${desk.url}/integrations/zendesk-messaging/webhook`, secret: MESSAGING_WEBHOOK_SECRET };
  return desk;
}

/** What an admin does on the Zendesk Support card: credentials, then Connect. */
export async function connectSupport(desk: ChannelDesk, zendesk: FakeZendesk, credentials: Record<string, string> = { oauthToken: zendesk.options.oauthToken }) {
  const put = await desk.request('/api/integrations/zendesk/support', {
    method: 'PUT',
    token: desk.admin.token,
    json: { subject: 'Acme Zendesk', tags: ['chatbot', 'vip'], values: { subdomain: zendesk.options.subdomain, ...credentials } },
  });
  expect(put.status).toBe(200);
  const res = await desk.request('/api/integrations/zendesk/support/connect', { method: 'POST', token: desk.admin.token });
  expect(res.status).toBe(200);
  return (await res.json()) as { ok: boolean; description: string; integration: { connected: boolean; lastError: string | null; fields: { name: string; value: string | null }[] } };
}

export async function connectMessaging(desk: ChannelDesk, sunshine: FakeSunshine) {
  const put = await desk.request('/api/integrations/zendesk/messaging', {
    method: 'PUT',
    token: desk.admin.token,
    json: {
      subject: 'Acme chat',
      tags: ['chatbot'],
      values: { appId: sunshine.options.appId, keyId: sunshine.options.keyId, keySecret: sunshine.options.keySecret, webhookSecret: MESSAGING_WEBHOOK_SECRET },
    },
  });
  expect(put.status).toBe(200);
  const res = await desk.request('/api/integrations/zendesk/messaging/connect', { method: 'POST', token: desk.admin.token });
  expect(res.status).toBe(200);
  return (await res.json()) as { ok: boolean; description: string };
}

/** Points the sample "Talk to a person" intent at a destination, as the intent editor does. */
export async function routeTalkToAPerson(desk: ChannelDesk, destination: HandOffDestination, extra: Record<string, unknown> = {}): Promise<Intent> {
  const intent = (await desk.services.intents.list()).find((i) => i.name === 'Talk to a person') as Intent;
  const res = await desk.request(`/api/intents/${intent.id}`, {
    method: 'PATCH',
    token: desk.admin.token,
    json: { desk: { enabled: true, destination, status: 'open', priority: 'high', ...extra } },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { intent: Intent }).intent;
}

/** A user on a channel: writes through the real route or webhook, reads what reached them. */
export interface ChatUser {
  channel: 'webchat' | 'telegram';
  externalId: string;
  say(text: string): Promise<void>;
  sendImage(): Promise<void>;
  /** Texts that reached the user, bot and agent alike (and system notes on the web chat). */
  received(): Promise<string[]>;
}

export function webchatUser(desk: ChannelDesk, visitorId: string): ChatUser {
  // The first message creates the visitor and answers their token; every later call sends it.
  let token: string | null = null;
  const auth = (): Record<string, string> => (token ? { 'x-visitor-token': token } : {});
  const remember = async (res: Response) => {
    expect(res.status).toBe(201);
    token ??= ((await res.json()) as { visitorToken: string }).visitorToken;
  };
  return {
    channel: 'webchat',
    externalId: visitorId,
    async say(text) {
      const json = token ? { text, name: 'Vera Visitor' } : { visitorId, text, name: 'Vera Visitor' };
      await remember(await desk.request('/channels/webchat/messages', { method: 'POST', token: null, json, headers: auth() }));
    },
    async sendImage() {
      const form = new FormData();
      if (!token) form.set('visitorId', visitorId);
      form.set('file', new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9])], 'receipt.jpg', { type: 'image/jpeg' }));
      await remember(await desk.request('/channels/webchat/messages', { method: 'POST', token: null, body: form, headers: auth() }));
    },
    async received() {
      const res = await desk.request('/channels/webchat/messages', { token: null, headers: auth() });
      const { messages } = (await res.json()) as { messages: WebchatMessage[] };
      return messages.filter((m) => m.authorKind !== 'user').map((m) => m.text);
    },
  };
}

export const TELEGRAM_PHOTO_FILE_ID = 'AgACAgUAAxkBAAODYV3aGZlD6vhzKsE2WNmblsr6zKwAAi-tMRvCoeBWNQ1ENVBzJdwBAAMCAANzAAMhBA';

export function telegramUser(desk: ChannelDesk, telegram: StandIn, chatId: number): ChatUser {
  const base = loadFixture<Json>('telegram-text-modern.json').body;
  let n = 100 + chatId;
  return {
    channel: 'telegram',
    externalId: String(chatId),
    async say(text) {
      n += 1;
      const update = { update_id: 9000 + n, message: { ...base.message, message_id: n, from: { ...base.message.from, id: chatId }, chat: { ...base.message.chat, id: chatId }, text } };
      expect((await desk.webhook('/channels/telegram/webhook', JSON.stringify(update), telegramSecret())).status).toBe(200);
    },
    async sendImage() {
      n += 1;
      const photo = loadFixture<Json>('telegram-photo.json').body;
      const update = { ...photo, update_id: 9000 + n, message: { ...photo.message, message_id: n, from: { ...photo.message.from, id: chatId }, chat: { ...photo.message.chat, id: chatId } } };
      expect((await desk.webhook('/channels/telegram/webhook', JSON.stringify(update), telegramSecret())).status).toBe(200);
    },
    async received() {
      return telegram.received((r) => r.path === `/bot${TELEGRAM_TOKEN}/sendMessage` && r.json.chat_id === chatId).map((r) => r.json.text as string);
    },
  };
}
