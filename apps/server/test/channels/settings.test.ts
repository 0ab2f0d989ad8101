import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelDesk, eventually, startChannelDesk, TELEGRAM_SECRET, TELEGRAM_TOKEN, telegramSecret } from '../support/channel-desk.ts';
import { documentedKeys, loadFixture } from '../support/channel-fixtures.ts';
import { type StandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';

interface FieldView {
  name: string;
  envVar: string;
  secret: boolean;
  value: string | null;
  fromEnv: boolean;
}
interface GroupView {
  id: string;
  configured: boolean;
  enabled: boolean;
  active: boolean;
  envOverrides: string[];
  webhookUrl: string;
  fields: FieldView[];
}

let telegram: StandIn;
let desk: ChannelDesk;

beforeAll(async () => {
  telegram = await startTelegramStandIn(TELEGRAM_TOKEN);
});
afterAll(() => telegram.close());
afterEach(async () => {
  await desk?.close({ remove: true });
  telegram.clear();
});

const list = async (token = desk.admin.token) => {
  const res = await desk.request('/api/integrations/channels', { token });
  return { status: res.status, channels: res.status === 200 ? ((await res.json()) as { channels: GroupView[] }).channels : [] };
};
const group = async (id: string) => (await list()).channels.find((c) => c.id === id) as GroupView;
const put = (id: string, json: unknown, token = desk.admin.token) => desk.request(`/api/integrations/channels/${id}`, { method: 'PUT', json, token });

describe('channel settings API', () => {
  it('lists every channel off when nothing is configured, and only to admins', async () => {
    desk = await startChannelDesk();
    const { channels } = await list();
    expect(channels.map((c) => [c.id, c.configured, c.active])).toEqual([
      ['telegram', false, false],
      ['meta', false, false],
      ['whatsapp', false, false],
      ['messenger', false, false],
      ['instagram', false, false],
      ['smooch', false, false],
    ]);
    expect(channels[0]?.webhookUrl).toBe('https://desk.example.test/channels/telegram/webhook');
    expect((await list(desk.agent.token)).status).toBe(403);
    expect((await list('')).status).toBe(401);
    expect((await put('telegram', { values: { botToken: TELEGRAM_TOKEN } }, desk.agent.token)).status).toBe(403);
  });

  it('stores secrets write-only: masked when read, kept when omitted or sent back masked, cleared with null', async () => {
    desk = await startChannelDesk({ env: { TELEGRAM_API_URL: telegram.url } });
    const saved = await put('telegram', { values: { botToken: TELEGRAM_TOKEN, webhookSecret: TELEGRAM_SECRET } });
    expect(saved.status).toBe(200);
    const view = ((await saved.json()) as { channel: GroupView }).channel;
    expect(view).toMatchObject({ configured: true, enabled: true, active: true, envOverrides: [] });
    expect(view.fields).toEqual([
      { name: 'botToken', envVar: 'TELEGRAM_BOT_TOKEN', secret: true, value: `••••${TELEGRAM_TOKEN.slice(-4)}`, fromEnv: false },
      { name: 'webhookSecret', envVar: 'TELEGRAM_WEBHOOK_SECRET', secret: true, value: `••••${TELEGRAM_SECRET.slice(-4)}`, fromEnv: false },
    ]);
    expect(JSON.stringify(await list())).not.toContain(TELEGRAM_TOKEN);

    // The masked value sent back as shown, or an omitted field, keeps the secret.
    expect((await put('telegram', { values: { botToken: view.fields[0]?.value } })).status).toBe(200);
    expect((await put('telegram', { enabled: true })).status).toBe(200);
    expect(desk.services.channels.settings.values('telegram')).toEqual({ botToken: TELEGRAM_TOKEN, webhookSecret: TELEGRAM_SECRET });

    // The stored credentials work at once: the webhook answers.
    const update = JSON.stringify(loadFixture('telegram-text-modern.json').body);
    expect((await desk.webhook('/channels/telegram/webhook', update, telegramSecret())).status).toBe(200);

    // Switched off: 404, and nothing more stored.
    expect((await put('telegram', { enabled: false })).status).toBe(200);
    expect((await group('telegram')).active).toBe(false);
    expect((await desk.webhook('/channels/telegram/webhook', update, telegramSecret())).status).toBe(404);

    // Cleared: not configured any more.
    expect((await put('telegram', { enabled: true, values: { webhookSecret: null } })).status).toBe(200);
    expect(await group('telegram')).toMatchObject({ configured: false, active: false });
  });

  it('refuses unknown fields and values the platform would refuse', async () => {
    desk = await startChannelDesk();
    const bad = await put('telegram', { values: { botToken: 'not a token', webhookSecret: 'spaces are not allowed', nope: 'x' } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { fields: Record<string, string> } };
    expect(Object.keys(body.error.fields).sort()).toEqual(['values.botToken', 'values.nope', 'values.webhookSecret']);
    expect((await put('nowhere', { enabled: true })).status).toBe(400);
    expect((await group('telegram')).configured).toBe(false);
  });

  it('lets environment variables win over stored values, and says so', async () => {
    desk = await startChannelDesk({ env: { META_APP_SECRET: 'from-the-environment', META_VERIFY_TOKEN: 'verify-from-env-1234' } });
    await put('meta', { values: { appSecret: 'stored-by-admin', verifyToken: 'stored-verify' } });
    const meta = await group('meta');
    expect(meta).toMatchObject({ configured: true, active: true, envOverrides: ['META_APP_SECRET', 'META_VERIFY_TOKEN'] });
    expect(desk.services.channels.settings.values('meta')).toEqual({ appSecret: 'from-the-environment', verifyToken: 'verify-from-env-1234' });
    expect(meta.fields.map((f) => f.value)).toEqual(['••••ment', '••••1234']);
    // WhatsApp needs its own credentials on top of the Meta webhook.
    expect(await group('whatsapp')).toMatchObject({ configured: false, requires: 'meta' });
    await put('whatsapp', { values: { phoneNumberId: '106540352242922', accessToken: 'EAAG-token-value' } });
    expect(await group('whatsapp')).toMatchObject({ configured: true, active: true });
    expect((await group('whatsapp')).fields[0]).toMatchObject({ name: 'phoneNumberId', secret: false, value: '106540352242922' });
  });

  it('registers the Telegram webhook with the public URL and the secret', async () => {
    desk = await startChannelDesk({ env: { TELEGRAM_API_URL: telegram.url } });
    const register = () => desk.request('/api/integrations/channels/telegram/register-webhook', { method: 'POST', token: desk.admin.token });
    expect((await register()).status).toBe(409);
    await put('telegram', { values: { botToken: TELEGRAM_TOKEN, webhookSecret: TELEGRAM_SECRET } });
    const res = await register();
    expect(await res.json()).toEqual({ ok: true, url: 'https://desk.example.test/channels/telegram/webhook', description: 'Webhook was set' });
    const [call] = telegram.received((r) => r.path === `/bot${TELEGRAM_TOKEN}/setWebhook`);
    expect(call?.json).toEqual({
      url: 'https://desk.example.test/channels/telegram/webhook',
      secret_token: TELEGRAM_SECRET,
      allowed_updates: ['message', 'callback_query'],
      drop_pending_updates: false,
    });
    expect(Object.keys(call?.json).sort()).toEqual(documentedKeys('telegram-setwebhook-request.json'));

    telegram.failNext((r) => r.path.endsWith('/setWebhook'), { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: bad webhook: HTTPS url must be provided for webhook' } });
    expect(await (await register()).json()).toMatchObject({ ok: false, description: 'Telegram answered 400: Bad Request: bad webhook: HTTPS url must be provided for webhook' });
    expect((await desk.request('/api/integrations/channels/telegram/register-webhook', { method: 'POST', token: desk.agent.token })).status).toBe(403);
  });

  it('documents the webhooks and the settings API in the OpenAPI description', async () => {
    desk = await startChannelDesk();
    const doc = (await (await desk.request('/api/openapi.json', { token: null })).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/channels/telegram/webhook'] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths['/channels/meta/webhook'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/channels/smooch/webhook'] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/integrations/channels'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/integrations/channels/{channel}'] ?? {})).toEqual(['put']);
    expect(Object.keys(doc.paths['/api/integrations/channels/telegram/register-webhook'] ?? {})).toEqual(['post']);
  });

  it('uses the getFile request Telegram documents', async () => {
    const photoId = 'AgACAgUAAxkBAAODYV3aGZlD6vhzKsE2WNmblsr6zKwAAi-tMRvCoeBWNQ1ENVBzJdwBAAMCAANzAAMhBA';
    await telegram.close();
    telegram = await startTelegramStandIn(TELEGRAM_TOKEN, { [photoId]: { path: 'photos/file_0.jpg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), contentType: 'image/jpeg' } });
    desk = await startChannelDesk({ env: { TELEGRAM_API_URL: telegram.url, TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET, CHANNEL_RETRY_BASE_MS: '50' } });
    await desk.webhook('/channels/telegram/webhook', JSON.stringify(loadFixture('telegram-photo.json').body), telegramSecret());
    const call = await eventually(() => telegram.received((r) => r.path.endsWith('/getFile'))[0], 'getFile');
    expect(call.json).toEqual(loadFixture('telegram-getfile-request.json').body);
    await eventually(() => telegram.received((r) => r.path === `/file/bot${TELEGRAM_TOKEN}/photos/file_0.jpg`).length === 1, 'the download');
  });
});
