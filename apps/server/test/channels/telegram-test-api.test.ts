import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelDesk, eventually, startChannelDesk, TELEGRAM_SECRET, TELEGRAM_TOKEN } from '../support/channel-desk.ts';

/**
 * Telegram, played by the npm package `telegram-test-api` (a Bot API emulator nobody on this
 * project wrote). The emulator serves sendMessage and setWebhook, and posts user messages to the
 * registered webhook, but it never sends the `X-Telegram-Bot-Api-Secret-Token` header that real
 * Telegram sends. Desk keeps its security as in production (a secret is required; a webhook
 * without it is refused), so this test puts a tiny proxy in front of Desk that plays the part of
 * real Telegram: it reads the `secret_token` Desk registered with the emulator through setWebhook
 * and adds it as the header. The proxy adds nothing else, and Desk is configured as in production.
 */

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

let emulator: TelegramServer;
let desk: ChannelDesk;
let proxy: Server;
let proxyUrl: string;
let deskUrl = '';

/** The webhook Desk registered with the emulator (url, secret_token, …), as the emulator stored it. */
const registeredWebhook = () => (emulator as unknown as { webhooks: Record<string, { url: string; secret_token?: string }> }).webhooks[TELEGRAM_TOKEN];

beforeAll(async () => {
  emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
  await emulator.start();

  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const secret = registeredWebhook()?.secret_token;
      const forwarded = await fetch(`${deskUrl}${req.url}`, {
        method: req.method ?? 'POST',
        headers: { 'content-type': String(req.headers['content-type'] ?? 'application/json'), ...(secret && { 'x-telegram-bot-api-secret-token': secret }) },
        body: Buffer.concat(chunks),
      });
      res.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await forwarded.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  desk = await startChannelDesk({
    http: true,
    env: {
      TELEGRAM_API_URL: emulator.config.apiURL,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      // Telegram reaches Desk at its public URL: here, the proxy in front of it.
      PUBLIC_URL: proxyUrl,
    },
  });
  deskUrl = desk.url as string;
});

afterAll(async () => {
  await desk?.close({ remove: true });
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await emulator?.stop();
});

describe('Telegram through telegram-test-api', () => {
  it('registers the webhook, receives a user message, and the bot answer reaches the chat', async () => {
    const registered = await desk.request('/api/integrations/channels/telegram/register-webhook', { method: 'POST', token: desk.admin.token });
    expect(registered.status).toBe(200);
    expect(await registered.json()).toEqual({ ok: true, url: `${proxyUrl}/channels/telegram/webhook`, description: null });
    expect(registeredWebhook()).toMatchObject({ url: `${proxyUrl}/channels/telegram/webhook`, secret_token: TELEGRAM_SECRET, allowed_updates: ['message', 'callback_query'] });

    const client = emulator.getClient(TELEGRAM_TOKEN, { userId: 42, chatId: 42, firstName: 'Ann', userName: 'ann' });
    // The emulator answers the client at once and calls the webhook right after.
    await client.sendMessage(client.makeMessage('hello'));
    const stored = await eventually(async () => ((await desk.messagesOf('telegram', '42')).length > 0 ? await desk.messagesOf('telegram', '42') : null), 'the delivered update');
    expect(stored[0]).toMatchObject({ authorKind: 'user', text: 'hello' });
    expect((await desk.services.contacts.findByIdentity('telegram', '42'))?.name).toBe('Ann');

    const botTexts = () => emulator.storage.botMessages.filter((u) => u.botToken === TELEGRAM_TOKEN).map((u) => ({ chat: u.message.chat_id, text: u.message.text }));
    const answers = await eventually(() => (botTexts().length > 0 ? botTexts() : null), 'the bot answer in the emulator');
    expect(answers).toEqual([{ chat: 42, text: 'Hello! I am the virtual assistant. How can I help you?' }]);
    const bot = (await desk.messagesOf('telegram', '42')).find((m) => m.authorKind === 'bot');
    await eventually(async () => (await desk.services.messages.get(bot?.id as string))?.delivery?.state === 'sent', 'the answer marked sent');
  });

  it('refuses the emulator’s own delivery, which carries no secret header', async () => {
    const before = await desk.count('SELECT COUNT(*) FROM messages');
    const direct = await fetch(`${deskUrl}/channels/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ update_id: 99, message: { message_id: 99, chat: { id: 42, type: 'private' }, from: { id: 42, first_name: 'Ann' }, date: 1, text: 'hi' } }),
    });
    expect(direct.status).toBe(401);
    expect(await desk.count('SELECT COUNT(*) FROM messages')).toBe(before);
  });
});
