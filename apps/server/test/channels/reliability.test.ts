import { rawRun } from '../support/raw-sql.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChannelSendError } from '../../src/channels/channel-adapter.ts';
import {
  type ChannelDesk,
  channelEnv,
  eventually,
  INSTAGRAM_TOKEN,
  PAGE_TOKEN,
  SMOOCH_APP_ID,
  SMOOCH_KEY_ID,
  SMOOCH_KEY_SECRET,
  signMeta,
  smoochSecret,
  startChannelDesk,
  TELEGRAM_TOKEN,
  telegramSecret,
  WHATSAPP_PHONE_NUMBER_ID,
  WHATSAPP_TOKEN,
} from '../support/channel-desk.ts';
import { loadFixture, type Json } from '../support/channel-fixtures.ts';
import { SAMPLE_BYTES, type StandIn, startGraphStandIn, startSmoochStandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';


const PHOTO_ID = 'AgACAgUAAxkBAAODYV3aGZlD6vhzKsE2WNmblsr6zKwAAi-tMRvCoeBWNQ1ENVBzJdwBAAMCAANzAAMhBA';
const BIG_ID = 'BQACAgQAAxkBAAIBig-big-file';
let telegram: StandIn;
let graph: StandIn;
let smooch: StandIn;
const desks: ChannelDesk[] = [];

beforeAll(async () => {
  telegram = await startTelegramStandIn(TELEGRAM_TOKEN, {
    [PHOTO_ID]: { path: 'photos/file_0.jpg', bytes: SAMPLE_BYTES.jpeg, contentType: 'image/jpeg' },
    [BIG_ID]: { path: 'documents/big.pdf', bytes: new Uint8Array(4096).fill(65), contentType: 'application/pdf' },
  });
  graph = await startGraphStandIn({ phoneNumberId: WHATSAPP_PHONE_NUMBER_ID, whatsapp: WHATSAPP_TOKEN, page: PAGE_TOKEN, instagram: INSTAGRAM_TOKEN });
  smooch = await startSmoochStandIn(SMOOCH_APP_ID, SMOOCH_KEY_ID, SMOOCH_KEY_SECRET);
});
afterAll(async () => {
  await Promise.all([telegram.close(), graph.close(), smooch.close()]);
});
afterEach(async () => {
  for (const desk of desks.splice(0)) await desk.close({ remove: true });
  telegram.clear();
  graph.clear();
  smooch.clear();
});

async function open(options: Parameters<typeof startChannelDesk>[0] = {}) {
  const desk = await startChannelDesk({ ...options, env: { ...channelEnv({ telegram, graph, smooch }), ...options.env } });
  desks.push(desk);
  return desk;
}

const update = (patch: Json = {}) => {
  const base = loadFixture<Json>('telegram-text-modern.json').body;
  return JSON.stringify({ ...base, message: { ...base.message, text: 'hello', ...patch } });
};
const sends = () => telegram.received((r) => r.path.endsWith('/sendMessage'));
const rowsOf = (desk: ChannelDesk) => desk.count("SELECT COUNT(*) FROM messages WHERE author_kind = 'user'");

describe('redelivery and restarts', () => {
  it('stores a webhook redelivered ten times (concurrently, over HTTP) once, and answers it once', async () => {
    const desk = await open({ http: true });
    const body = update();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${desk.url}/channels/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...telegramSecret() }, body }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    // The processor stores what the acknowledgements put in the inbox: once, however many came.
    await desk.services.inboxProcessor.drain();
    expect(await rowsOf(desk)).toBe(1);
    await eventually(() => sends().length === 1, 'the answer');
    // Every redelivery has been answered (and its transaction committed): drain the outbox, then
    // nothing is left that could go out a second time.
    await desk.drainOutbox();
    expect(sends()).toHaveLength(1);
    expect(await desk.count('SELECT COUNT(*) FROM outbox')).toBe(1);
    expect(await desk.count("SELECT COUNT(*) FROM messages WHERE author_kind = 'bot'")).toBe(1);
  });

  it('delivers the reply exactly once after the server is killed between the acknowledgement and the send', async () => {
    // The workers don't run: the process "dies" right after answering 200, before anything went out.
    const first = await open({ workers: false });
    expect((await first.webhook('/channels/telegram/webhook', update(), telegramSecret())).status).toBe(200);
    expect(sends()).toHaveLength(0);
    const pending = await first.count("SELECT COUNT(*) FROM outbox WHERE state = 'pending'");
    expect(pending).toBe(1);
    await first.close();

    // A new server on the same file picks the queued reply up at start.
    const second = await open({ dataDir: first.dataDir });
    await eventually(() => sends().length === 1, 'the reply after restart');
    await eventually(async () => await second.count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'") === 1, 'the outbox row sent');
    await second.close();

    const third = await open({ dataDir: first.dataDir });
    // A third start on the same file: its first run (which start() kicks) finds nothing to send again.
    await third.drainOutbox();
    expect(sends()).toHaveLength(1);
    const bot = (await third.messagesOf('telegram', '23')).find((m) => m.authorKind === 'bot');
    expect(bot?.delivery).toMatchObject({ state: 'sent', attempts: 1 });
    expect(bot?.channelMessageId).toMatch(/^23:\d+$/);
  });

  it('resumes a file download after a restart', async () => {
    const first = await open({ workers: false });
    const photo = loadFixture<Json>('telegram-photo.json').body;
    expect((await first.webhook('/channels/telegram/webhook', JSON.stringify(photo), telegramSecret())).status).toBe(200);
    const [message] = await first.messagesOf('telegram', '23');
    expect(message?.attachments[0]?.download?.state).toBe('pending');
    expect((await first.request(message?.attachments[0]?.url as string)).status).toBe(404);
    await first.close();
    const second = await open({ dataDir: first.dataDir });
    await eventually(async () => (await second.services.messages.get(message?.id as string))?.attachments[0]?.download?.state === 'stored', 'the download');
    expect((await second.request(message?.attachments[0]?.url as string)).status).toBe(200);
  });
});

describe('outbound delivery', () => {
  it('retries 5xx, 429 and network errors with backoff, and fails a permanent error with the platform’s reason', async () => {
    const desk = await open({ workers: false });
    const dueNow = async () => await rawRun(desk.services.db, 'UPDATE outbox SET next_attempt_at = ?', new Date(0).toISOString());
    telegram.failNext((r) => r.path.endsWith('/sendMessage'), { status: 502, json: { ok: false, error_code: 502, description: 'Bad Gateway' } });
    telegram.failNext((r) => r.path.endsWith('/sendMessage'), {
      status: 429,
      json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
    });
    await desk.webhook('/channels/telegram/webhook', update(), telegramSecret());
    const bot = async () => (await desk.messagesOf('telegram', '23')).find((m) => m.authorKind === 'bot');
    await desk.services.outbox.runDue();
    expect((await bot())?.delivery).toMatchObject({ state: 'pending', attempts: 1, error: 'Telegram answered 502: Bad Gateway' });
    await dueNow();
    await desk.services.outbox.runDue();
    expect((await bot())?.delivery).toMatchObject({ state: 'pending', attempts: 2, error: expect.stringContaining('429') });
    await dueNow();
    await desk.services.outbox.runDue();
    expect((await bot())?.delivery).toMatchObject({ state: 'sent', attempts: 3 });
    expect(sends()).toHaveLength(3);

    telegram.failNext((r) => r.path.endsWith('/sendMessage'), {
      status: 403,
      json: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    });
    await desk.webhook('/channels/telegram/webhook', update({ message_id: 2, text: 'good morning' }), telegramSecret());
    await desk.services.outbox.runDue();
    const failed = (await desk.messagesOf('telegram', '23')).filter((m) => m.authorKind === 'bot')[1];
    expect(failed?.delivery).toMatchObject({ state: 'failed', error: 'Telegram answered 403: Forbidden: bot was blocked by the user' });
    expect(await desk.count("SELECT COUNT(*) FROM outbox WHERE state = 'failed'")).toBe(1);
  });

  it('treats an unreachable platform as retryable and a refused token as permanent, on every adapter', async () => {
    const closed = await startTelegramStandIn('x');
    const deadUrl = closed.url;
    await closed.close();
    const desk = await open({ workers: false, env: { TELEGRAM_API_URL: deadUrl, META_GRAPH_URL: deadUrl, SMOOCH_API_URL: deadUrl } });
    const conversation = (channel: string, externalId: string) =>
      ({ id: 'c', contactId: 'x', channel, externalId, mode: 'bot', activeTicketId: null, language: null, createdAt: '', updatedAt: '' }) as never;
    const adapters = ['telegram', 'whatsapp', 'messenger', 'instagram', 'smooch'] as const;
    const outbox = desk.services.outbox as unknown as { adapters: Map<string, { sendText: (c: never, t: string) => Promise<unknown> }> };
    for (const channel of adapters) {
      const error = await outbox.adapters.get(channel)?.sendText(conversation(channel, '42'), 'hi').catch((e: unknown) => e);
      expect(error, channel).toBeInstanceOf(ChannelSendError);
      expect((error as ChannelSendError).retryable, channel).toBe(true);
    }
    const wrongTokens = await open({
      workers: false,
      env: { TELEGRAM_BOT_TOKEN: '1:wrong', WHATSAPP_ACCESS_TOKEN: 'wrong', MESSENGER_PAGE_ACCESS_TOKEN: 'wrong', INSTAGRAM_ACCESS_TOKEN: 'wrong', SMOOCH_KEY_SECRET: 'wrong' },
    });
    const wrongOutbox = wrongTokens.services.outbox as unknown as typeof outbox;
    const reasons: string[] = [];
    for (const channel of adapters) {
      const error = (await wrongOutbox.adapters.get(channel)?.sendText(conversation(channel, '42'), 'hi').catch((e: unknown) => e)) as ChannelSendError;
      expect(error.retryable, channel).toBe(false);
      reasons.push(error.message);
    }
    expect(reasons).toEqual([
      'Telegram answered 401: Unauthorized',
      'WhatsApp answered 401: Invalid OAuth access token - Cannot parse access token (code 190)',
      'Messenger answered 401: Invalid OAuth access token - Cannot parse access token (code 190)',
      'Instagram answered 401: Invalid OAuth access token - Cannot parse access token (code 190)',
      'Sunshine Conversations answered 401: Authorization is required — unauthorized',
    ]);
  });

  it('moves a WhatsApp reply to delivered when the platform reports it (and never back)', async () => {
    const desk = await open();
    const body = loadFixture<Json>('whatsapp-text.json').body;
    const raw = JSON.stringify(body);
    await desk.webhook('/channels/meta/webhook', raw, signMeta(raw));
    const bot = async () => (await desk.messagesOf('whatsapp', '16505551234')).find((m) => m.authorKind === 'bot');
    await eventually(async () => (await bot())?.delivery?.state === 'sent', 'sent');
    const sent = await bot();
    const status = (state: string) => {
      const copy = structuredClone(body);
      const value = copy.entry[0].changes[0].value;
      delete value.messages;
      delete value.contacts;
      value.statuses = [{ id: sent?.channelMessageId, status: state, timestamp: '1749416400', recipient_id: '16505551234' }];
      return JSON.stringify(copy);
    };
    for (const state of ['delivered', 'sent']) {
      const r = status(state);
      expect((await desk.webhook('/channels/meta/webhook', r, signMeta(r))).status).toBe(200);
    }
    expect((await bot())?.delivery?.state).toBe('delivered');
  });
});

describe('media downloads', () => {
  it('retries a failed download and stores the file', async () => {
    const desk = await open();
    telegram.failNext((r) => r.path.startsWith('/file/'), { status: 503, json: { ok: false } });
    await desk.webhook('/channels/telegram/webhook', JSON.stringify(loadFixture('telegram-photo.json').body), telegramSecret());
    const [message] = await desk.messagesOf('telegram', '23');
    const stored = await eventually(async () => {
      const a = (await desk.services.messages.get(message?.id as string))?.attachments[0];
      return a?.download?.state === 'stored' ? a : null;
    }, 'the retried download');
    expect(stored).toMatchObject({ kind: 'image', mimeType: 'image/jpeg', size: SAMPLE_BYTES.jpeg.byteLength, download: { attempts: 2 } });
  });

  it('fails visibly (on the attachment) when the file is too large or the platform refuses it', async () => {
    const desk = await open({ env: { MEDIA_MAX_BYTES: '1000' } });
    const doc = loadFixture<Json>('telegram-document.json').body;
    // Declared larger than the limit: refused without downloading.
    await desk.webhook('/channels/telegram/webhook', JSON.stringify(doc), telegramSecret());
    // Declared small, but the download is bigger than the limit.
    const sneaky = { ...doc, message: { ...doc.message, message_id: 2, document: { file_id: BIG_ID, file_name: 'big.pdf', mime_type: 'application/pdf', file_size: 10 } } };
    await desk.webhook('/channels/telegram/webhook', JSON.stringify(sneaky), telegramSecret());
    // Unknown to Telegram.
    const gone = { ...doc, message: { ...doc.message, message_id: 3, document: { file_id: 'nope', file_name: 'x.pdf', mime_type: 'application/pdf' } } };
    await desk.webhook('/channels/telegram/webhook', JSON.stringify(gone), telegramSecret());
    const failures = await eventually(async () => {
      const all = (await desk.messagesOf('telegram', '1111111')).flatMap((m) => m.attachments);
      return all.length === 3 && all.every((a) => a.download?.state === 'failed') ? all.map((a) => a.download?.error) : null;
    }, 'three failed downloads');
    expect(failures).toEqual([
      'The file is larger than the 1 KB limit.',
      'The file is larger than the 1 KB limit.',
      'Telegram answered 400: Bad Request: invalid file_id',
    ]);
    expect(await desk.count("SELECT COUNT(*) FROM channel_media_jobs WHERE state = 'failed'")).toBe(3);
    expect(await desk.count('SELECT COUNT(*) FROM media')).toBe(0);
  });
});

describe('what the webhooks ignore or note', () => {
  it('notes an unsupported type in the conversation once, even when redelivered', async () => {
    const desk = await open();
    const base = loadFixture<Json>('telegram-text-modern.json').body;
    const { text, ...message } = base.message;
    const location = JSON.stringify({ ...base, message: { ...message, message_id: 7, location: { latitude: -23.55, longitude: -46.63 } } });
    for (let i = 0; i < 3; i += 1) expect((await desk.webhook('/channels/telegram/webhook', location, telegramSecret())).status).toBe(200);
    const messages = await desk.messagesOf('telegram', '23');
    expect(messages.map((m) => [m.authorKind, m.text])).toEqual([
      ['user', ''],
      ['system', 'unsupported message type: location'],
    ]);
    expect(sends()).toHaveLength(0);
  });

  it('ignores Messenger and Instagram echoes and Sunshine business messages, and processes every Sunshine event', async () => {
    const desk = await open();
    for (const name of ['messenger-text.json', 'instagram-text.json']) {
      const body = loadFixture<Json>(name).body;
      body.entry[0].messaging[0].message.is_echo = true;
      const raw = JSON.stringify(body);
      expect((await desk.webhook('/channels/meta/webhook', raw, signMeta(raw))).status).toBe(200);
    }
    const smoochBody = loadFixture<Json>('smooch-message-whatsapp.json').body;
    const event = smoochBody.events[0];
    const business = structuredClone(event);
    business.payload.message.author = { type: 'business' };
    business.payload.message.id = 'echo';
    const second = structuredClone(event);
    second.payload.message.id = 'second-message';
    second.payload.message.content = { type: 'location', coordinates: { lat: 1, long: 2 } };
    smoochBody.events = [event, business, second];
    expect((await desk.webhook('/channels/smooch/webhook', JSON.stringify(smoochBody), smoochSecret())).status).toBe(200);
    expect(await desk.count('SELECT COUNT(*) FROM messages WHERE channel IN (?, ?)', 'messenger', 'instagram')).toBe(0);
    const texts = (await desk.messagesOf('smooch', 'f52b01137aa6c250bc7251fa')).map((m) => [m.authorKind, m.text]);
    expect(texts).toEqual(expect.arrayContaining([['user', 'hello'], ['system', 'unsupported message type: location']]));
    expect(texts.filter(([kind]) => kind === 'user')).toHaveLength(2);
    expect(await desk.services.channels.peers.get('smooch', 'f52b01137aa6c250bc7251fa')).toMatchObject({ sourceType: 'whatsapp', userId: '26508c10541a4b0ff472e5e2' });
  });

  it('answers 404 on every webhook of a channel without credentials', async () => {
    const desk = await startChannelDesk({ env: { TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN } });
    desks.push(desk);
    const raw = JSON.stringify(loadFixture('whatsapp-text.json').body);
    expect((await desk.webhook('/channels/telegram/webhook', update(), telegramSecret())).status).toBe(404);
    expect((await desk.webhook('/channels/meta/webhook', raw, signMeta(raw))).status).toBe(404);
    expect((await desk.request('/channels/meta/webhook?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1', { token: null })).status).toBe(404);
    expect((await desk.webhook('/channels/smooch/webhook', '{}', smoochSecret())).status).toBe(404);
  });

  it('answers 404 for a Meta object whose channel is not configured, 400 for a body no platform sends', async () => {
    const desk = await open({ env: { INSTAGRAM_ACCESS_TOKEN: '' } });
    const ig = JSON.stringify(loadFixture('instagram-text.json').body);
    expect((await desk.webhook('/channels/meta/webhook', ig, signMeta(ig))).status).toBe(404);
    for (const raw of ['not json', '[]', '{"object":"user","entry":[]}']) {
      expect((await desk.webhook('/channels/meta/webhook', raw, signMeta(raw))).status).toBe(400);
    }
    expect((await desk.webhook('/channels/telegram/webhook', '{"update_id":"x"}', telegramSecret())).status).toBe(400);
    expect((await desk.webhook('/channels/smooch/webhook', '{"events":[{"type":"conversation:message"}]}', smoochSecret())).status).toBe(400);
    expect(await desk.count('SELECT COUNT(*) FROM messages')).toBe(0);
  });
});
