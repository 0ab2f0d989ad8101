import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChannelDesk,
  channelEnv,
  eventually,
  INSTAGRAM_TOKEN,
  META_APP_SECRET,
  META_VERIFY_TOKEN,
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
import { documentedKeys, fixtureNames, loadFixture, type Json } from '../support/channel-fixtures.ts';
import {
  type Recorded,
  SAMPLE_BYTES,
  type StandIn,
  startGraphStandIn,
  startSmoochStandIn,
  startTelegramStandIn,
} from '../support/platform-stand-ins.ts';

type Endpoint = 'telegram' | 'meta' | 'smooch';

interface InboundCase {
  kind: 'inbound';
  endpoint: Endpoint;
  channel: string;
  externalId: string;
  channelMessageId: string;
  name: string | null;
  text: string;
  /** Files the message carries (downloaded after the acknowledgement). */
  media: { mimeType: string; bytes: Uint8Array }[];
  /** The request Desk makes to answer, and the documented request it must look like. */
  reply: { path: string; documented: string };
}

type Case =
  | InboundCase
  | { kind: 'ignored'; endpoint: Endpoint; why: string }
  | { kind: 'not-from-platform'; endpoint: Endpoint; why: string }
  | { kind: 'handshake' }
  | { kind: 'signature-vectors' };

const TG_PHOTO = 'AgACAgUAAxkBAAODYV3aGZlD6vhzKsE2WNmblsr6zKwAAi-tMRvCoeBWNQ1ENVBzJdwBAAMCAANzAAMhBA';
const TG_VOICE = 'AwACAgUAAxkBAANjYVwnWF_w8LYTchqVdK9dY7mbwYEAAskDAALCoeBWFvS2u4zS6HAhBA';
const TG_DOCUMENT = 'AwADBAADbXXXXXXXXXXXGBdhD2l6_XX';
const tgSend = { path: `/bot${TELEGRAM_TOKEN}/sendMessage`, documented: 'telegram-sendmessage-request.json' };
const waSend = { path: `/${WHATSAPP_PHONE_NUMBER_ID}/messages`, documented: 'whatsapp-send-text-request.json' };

/** Every file in the fixtures folder, and what posting it to Desk must do. */
const CASES: Record<string, Case> = {
  'telegram-text.json': {
    kind: 'inbound', endpoint: 'telegram', channel: 'telegram', externalId: '1111111', channelMessageId: '1111111:1365',
    name: 'Test Firstname Test Lastname', text: '/start', media: [], reply: tgSend,
  },
  'telegram-text-modern.json': {
    kind: 'inbound', endpoint: 'telegram', channel: 'telegram', externalId: '23', channelMessageId: '23:1',
    name: 'Sojan Jose', text: 'test', media: [], reply: tgSend,
  },
  'telegram-photo.json': {
    kind: 'inbound', endpoint: 'telegram', channel: 'telegram', externalId: '23', channelMessageId: '23:1',
    name: 'Sojan Jose', text: '', media: [{ mimeType: 'image/jpeg', bytes: SAMPLE_BYTES.jpeg }], reply: tgSend,
  },
  'telegram-voice.json': {
    kind: 'inbound', endpoint: 'telegram', channel: 'telegram', externalId: '23', channelMessageId: '23:1',
    name: 'Sojan Jose', text: '', media: [{ mimeType: 'audio/ogg', bytes: SAMPLE_BYTES.ogg }], reply: tgSend,
  },
  'telegram-document.json': {
    kind: 'inbound', endpoint: 'telegram', channel: 'telegram', externalId: '1111111', channelMessageId: '1111111:1365',
    name: 'Test Firstname Test Lastname', text: '', media: [{ mimeType: 'application/pdf', bytes: SAMPLE_BYTES.pdf }], reply: tgSend,
  },
  'telegram-test-api-webhook-delivery.json': {
    kind: 'inbound', endpoint: 'telegram', channel: 'telegram', externalId: '42', channelMessageId: '42:1',
    name: 'Ann', text: 'hello there', media: [], reply: tgSend,
  },
  'whatsapp-text.json': {
    kind: 'inbound', endpoint: 'meta', channel: 'whatsapp', externalId: '16505551234',
    channelMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', name: 'Sheena Nelson',
    text: 'Does it come in another color?', media: [], reply: waSend,
  },
  'whatsapp-image.json': {
    kind: 'inbound', endpoint: 'meta', channel: 'whatsapp', externalId: 'PHONE_NUMBER', channelMessageId: 'wamid.ID', name: 'NAME',
    text: 'CAPTION', media: [{ mimeType: 'image/jpeg', bytes: SAMPLE_BYTES.jpeg }], reply: waSend,
  },
  'messenger-text.json': {
    kind: 'inbound', endpoint: 'meta', channel: 'messenger', externalId: '<PSID>', channelMessageId: 'mid.1457764197618:41d102a3e1ae206a38',
    name: null, text: 'hello, world!', media: [], reply: { path: '/<PAGE_ID>/messages', documented: 'messenger-send-text-request.json' },
  },
  'instagram-text.json': {
    kind: 'inbound', endpoint: 'meta', channel: 'instagram', externalId: 'IGSID', channelMessageId: 'MESSAGE-ID',
    name: null, text: 'MESSAGE-TEXT', media: [], reply: { path: '/IGID/messages', documented: 'instagram-send-text-request.json' },
  },
  'smooch-message-telegram.json': {
    kind: 'inbound', endpoint: 'smooch', channel: 'smooch', externalId: 'f52b01137aa6c250bc7251fa', channelMessageId: '5f74c7d84a146f3abd72af1d',
    name: 'Steve Rogers', text: 'hello', media: [],
    reply: { path: `/v2/apps/${SMOOCH_APP_ID}/conversations/f52b01137aa6c250bc7251fa/messages`, documented: 'smooch-post-message-request.json' },
  },
  'smooch-message-whatsapp.json': {
    kind: 'inbound', endpoint: 'smooch', channel: 'smooch', externalId: 'f52b01137aa6c250bc7251fa', channelMessageId: '5f74c7d84a146f3abd72af1d',
    name: 'Steve Rogers', text: 'hello', media: [],
    reply: { path: `/v2/apps/${SMOOCH_APP_ID}/conversations/f52b01137aa6c250bc7251fa/messages`, documented: 'smooch-post-message-request.json' },
  },
  'smooch-message-image-whatsapp.json': {
    kind: 'inbound', endpoint: 'smooch', channel: 'smooch', externalId: 'f52b01137aa6c250bc7251fa', channelMessageId: '5f74c7d84a146f3abd72af1d',
    name: 'Steve Rogers', text: 'Hello!', media: [{ mimeType: 'image/jpeg', bytes: SAMPLE_BYTES.jpeg }],
    reply: { path: `/v2/apps/${SMOOCH_APP_ID}/conversations/f52b01137aa6c250bc7251fa/messages`, documented: 'smooch-post-message-request.json' },
  },
  'smooch-switchboard-passcontrol-event.json': { kind: 'ignored', endpoint: 'smooch', why: 'a switchboard event, not a message' },
  'meta-webhook-verification.json': { kind: 'handshake' },
  'meta-signature-vector.json': { kind: 'signature-vectors' },
  // What Desk sends to the platforms, and what they answer: never something a platform posts to a webhook.
  'telegram-sendmessage-request.json': { kind: 'not-from-platform', endpoint: 'telegram', why: 'a Bot API request body' },
  'telegram-getfile-request.json': { kind: 'not-from-platform', endpoint: 'telegram', why: 'a Bot API request body' },
  'telegram-getfile-response.json': { kind: 'not-from-platform', endpoint: 'telegram', why: 'a Bot API response' },
  'telegram-setwebhook-request.json': { kind: 'not-from-platform', endpoint: 'telegram', why: 'a Bot API request body' },
  'whatsapp-send-text-request.json': { kind: 'not-from-platform', endpoint: 'meta', why: 'a Cloud API request body' },
  'whatsapp-send-text-response.json': { kind: 'not-from-platform', endpoint: 'meta', why: 'a Cloud API response' },
  'messenger-send-text-request.json': { kind: 'not-from-platform', endpoint: 'meta', why: 'a Send API request body' },
  'messenger-send-text-response.json': { kind: 'not-from-platform', endpoint: 'meta', why: 'a Send API response' },
  'instagram-send-text-request.json': { kind: 'not-from-platform', endpoint: 'meta', why: 'a Send API request body' },
  'smooch-post-message-request.json': { kind: 'not-from-platform', endpoint: 'smooch', why: 'an API request body' },
  'smooch-post-message-response.json': { kind: 'not-from-platform', endpoint: 'smooch', why: 'an API response' },
  'smooch-post-image-request.json': { kind: 'not-from-platform', endpoint: 'smooch', why: 'an API request body' },
  'smooch-passcontrol-request.json': { kind: 'not-from-platform', endpoint: 'smooch', why: 'an API request body' },
};

const PATHS: Record<Endpoint, string> = { telegram: '/channels/telegram/webhook', meta: '/channels/meta/webhook', smooch: '/channels/smooch/webhook' };

function authHeaders(endpoint: Endpoint, raw: string, mode: 'right' | 'wrong' | 'missing'): Record<string, string> {
  if (mode === 'missing') return {};
  if (endpoint === 'telegram') return telegramSecret(mode === 'right' ? undefined : 'not-the-secret');
  if (endpoint === 'smooch') return smoochSecret(mode === 'right' ? undefined : 'not-the-secret');
  return signMeta(raw, mode === 'right' ? META_APP_SECRET : 'another_app_secret');
}

/** The same sender writes again, asking for a person: the message that hands the conversation off. */
function handOffFrom(name: string, body: Json): Json {
  const copy = structuredClone(body);
  const text = 'I want to talk to a person';
  if (name.startsWith('telegram')) {
    const { photo, voice, document, caption, ...message } = copy.message;
    return { update_id: copy.update_id + 1, message: { ...message, message_id: 9001, text } };
  }
  if (name.startsWith('whatsapp')) {
    const value = copy.entry[0].changes[0].value;
    value.messages = [{ from: value.messages[0].from, id: 'wamid.handoff', timestamp: '1749416999', type: 'text', text: { body: text } }];
    return copy;
  }
  if (name.startsWith('messenger') || name.startsWith('instagram')) {
    copy.entry[0].messaging[0].message = { mid: 'mid.handoff', text };
    return copy;
  }
  copy.events[0].payload.message.id = 'handoff-message';
  copy.events[0].payload.message.content = { type: 'text', text };
  return copy;
}

let telegram: StandIn;
let graph: StandIn;
let smooch: StandIn;

beforeAll(async () => {
  telegram = await startTelegramStandIn(TELEGRAM_TOKEN, {
    [TG_PHOTO]: { path: 'photos/file_0.jpg', bytes: SAMPLE_BYTES.jpeg, contentType: 'application/octet-stream' },
    [TG_VOICE]: { path: 'voice/file_1.oga', bytes: SAMPLE_BYTES.ogg, contentType: 'application/octet-stream' },
    [TG_DOCUMENT]: { path: 'documents/file_2.pdf', bytes: SAMPLE_BYTES.pdf, contentType: 'application/octet-stream' },
  });
  graph = await startGraphStandIn(
    { phoneNumberId: WHATSAPP_PHONE_NUMBER_ID, whatsapp: WHATSAPP_TOKEN, page: PAGE_TOKEN, instagram: INSTAGRAM_TOKEN },
    { ID: { path: 'ID', bytes: SAMPLE_BYTES.jpeg, contentType: 'image/jpeg' } },
  );
  smooch = await startSmoochStandIn(SMOOCH_APP_ID, SMOOCH_KEY_ID, SMOOCH_KEY_SECRET, {
    image: { path: 'image.jpg', bytes: SAMPLE_BYTES.jpeg, contentType: 'image/jpeg' },
  });
});

afterAll(async () => {
  await Promise.all([telegram?.close(), graph?.close(), smooch?.close()]);
});

async function freshDesk(): Promise<ChannelDesk> {
  const desk = await startChannelDesk({ env: channelEnv({ telegram, graph, smooch }) });
  // The Sunshine fixture's file lives on example.org: this machine has no Internet, so the stand-in serves it.
  desk.services.channels.useFetch((input, init) => fetch(String(input).replace('https://example.org/', `${smooch.url}/files/`), init));
  return desk;
}

const storedRows = async (desk: ChannelDesk) =>
  await desk.count('SELECT COUNT(*) FROM messages') + await desk.count('SELECT COUNT(*) FROM contacts') + await desk.count('SELECT COUNT(*) FROM conversations');

describe('the fixtures folder', () => {
  it('has a case for every fixture file', async () => {
    expect(fixtureNames()).toEqual(Object.keys(CASES).sort());
  });
});

describe.each(Object.entries(CASES).filter((entry): entry is [string, InboundCase] => entry[1].kind === 'inbound'))('%s', (name, c) => {
  it('is refused with a missing (401) or wrong (403) secret, storing nothing', async () => {
    const desk = await freshDesk();
    try {
      const raw = JSON.stringify(loadFixture(name).body);
      const missing = await desk.webhook(PATHS[c.endpoint], raw, authHeaders(c.endpoint, raw, 'missing'));
      const wrong = await desk.webhook(PATHS[c.endpoint], raw, authHeaders(c.endpoint, raw, 'wrong'));
      expect([missing.status, wrong.status]).toEqual([401, 403]);
      expect(await storedRows(desk)).toBe(0);
      expect(await desk.count('SELECT COUNT(*) FROM channel_media_jobs')).toBe(0);
    } finally {
      await desk.close({ remove: true });
    }
  });

  it('reaches the bot, and after a hand-off the ticket, with its media', async () => {
    const desk = await freshDesk();
    try {
      const fixture = loadFixture<Json>(name);
      const raw = JSON.stringify(fixture.body);
      const res = await desk.webhook(PATHS[c.endpoint], raw, authHeaders(c.endpoint, raw, 'right'));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });

      const [first] = await desk.messagesOf(c.channel, c.externalId);
      expect(first).toMatchObject({ authorKind: 'user', text: c.text, channelMessageId: c.channelMessageId });
      const contact = await desk.services.contacts.findByIdentity(c.channel as never, c.externalId);
      if (c.name) expect(contact?.name).toBe(c.name);
      expect(first?.attachments).toHaveLength(c.media.length);

      // Text reaches the bot, whose answer goes out through the platform's API as documented.
      const standIn = c.endpoint === 'telegram' ? telegram : c.endpoint === 'meta' ? graph : smooch;
      // The recipient is in the body (Telegram chat_id, Graph recipient/to) or, for Sunshine, in the path.
      const recipient = c.endpoint === 'telegram' ? `"chat_id":${c.externalId}` : c.endpoint === 'meta' ? JSON.stringify(c.externalId) : '';
      const isReply = (r: Recorded) => r.path === c.reply.path && r.method === 'POST' && r.raw.includes(recipient);
      if (c.text) {
        const bot = (await desk.messagesOf(c.channel, c.externalId)).find((m) => m.authorKind === 'bot');
        expect(bot?.delivery?.state).toBeDefined();
        const sent = await eventually(() => standIn.received(isReply).find((r) => JSON.stringify(r.json).includes(JSON.stringify(bot?.text).slice(1, -1))), 'the bot answer');
        expect(Object.keys(sent.json).every((key) => documentedKeys(c.reply.documented).includes(key))).toBe(true);
        await eventually(async () => (await desk.services.messages.get(bot?.id as string))?.delivery?.state === 'sent', 'the answer marked sent');
      }

      // Hand-off from the same sender: the ticket carries the fixture's message and its files.
      const handOff = JSON.stringify(handOffFrom(name, fixture.body));
      expect((await desk.webhook(PATHS[c.endpoint], handOff, authHeaders(c.endpoint, handOff, 'right'))).status).toBe(200);
      const ticket = await desk.ticketOf(c.channel, c.externalId);
      expect(ticket).toMatchObject({ channel: c.channel, status: 'new' });
      const res2 = await desk.request(`/api/tickets/${ticket?.id}/messages`);
      expect(res2.status).toBe(200);
      const inTicket = ((await res2.json()) as { messages: { channelMessageId: string | null }[] }).messages;
      expect(inTicket.map((m) => m.channelMessageId)).toContain(c.channelMessageId);

      const stored = await eventually(async () => {
        const m = await desk.services.messages.get(first?.id as string);
        return m?.attachments.every((a) => a.download?.state === 'stored') ? m : null;
      }, 'the files downloaded');
      for (const [i, expected] of c.media.entries()) {
        const attachment = stored.attachments[i];
        expect(attachment).toMatchObject({ mimeType: expected.mimeType, size: expected.bytes.byteLength });
        const file = await desk.request(attachment?.url as string);
        expect(file.status).toBe(200);
        expect(new Uint8Array(await file.arrayBuffer())).toEqual(expected.bytes);
        expect((await desk.request(attachment?.url as string, { token: null })).status).toBe(401);
      }
    } finally {
      await desk.close({ remove: true });
    }
  });
});

describe('fixtures that are not messages', () => {
  it('acknowledges a Sunshine switchboard event and stores nothing (and refuses a wrong secret)', async () => {
    const desk = await freshDesk();
    try {
      const raw = JSON.stringify(loadFixture('smooch-switchboard-passcontrol-event.json').body);
      expect((await desk.webhook(PATHS.smooch, raw, smoochSecret('nope'))).status).toBe(403);
      expect((await desk.webhook(PATHS.smooch, raw, smoochSecret())).status).toBe(200);
      expect(await storedRows(desk)).toBe(0);
    } finally {
      await desk.close({ remove: true });
    }
  });

  it.each(Object.entries(CASES).filter(([, c]) => c.kind === 'not-from-platform') as [string, { endpoint: Endpoint; why: string }][])(
    '%s (%s) posted to its platform’s webhook is a 400 with the right secret, 401/403 without, storing nothing',
    async (name, c) => {
      const desk = await freshDesk();
      try {
        const raw = JSON.stringify(loadFixture(name).body);
        expect((await desk.webhook(PATHS[c.endpoint], raw, authHeaders(c.endpoint, raw, 'missing'))).status).toBe(401);
        expect((await desk.webhook(PATHS[c.endpoint], raw, authHeaders(c.endpoint, raw, 'wrong'))).status).toBe(403);
        const res = await desk.webhook(PATHS[c.endpoint], raw, authHeaders(c.endpoint, raw, 'right'));
        expect(res.status).toBe(400);
        expect(await storedRows(desk)).toBe(0);
      } finally {
        await desk.close({ remove: true });
      }
    },
  );

  it('meta-webhook-verification.json: the GET handshake echoes the challenge only for the right token', async () => {
    const desk = await freshDesk();
    try {
      const fixture = loadFixture<{ request: { query: Record<string, string> }; expected_response_if_token_matches: { body: string } }>('meta-webhook-verification.json');
      const query = new URLSearchParams(fixture.body.request.query);
      expect(query.get('hub.verify_token')).toBe(META_VERIFY_TOKEN);
      const ok = await desk.request(`/channels/meta/webhook?${query}`, { token: null });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe(fixture.body.expected_response_if_token_matches.body);
      query.set('hub.verify_token', 'wrong');
      expect((await desk.request(`/channels/meta/webhook?${query}`, { token: null })).status).toBe(403);
      query.set('hub.verify_token', META_VERIFY_TOKEN);
      query.set('hub.mode', 'unsubscribe');
      expect((await desk.request(`/channels/meta/webhook?${query}`, { token: null })).status).toBe(403);
    } finally {
      await desk.close({ remove: true });
    }
  });

  it('meta-signature-vector.json: verifies the raw bytes, so re-serialised JSON is refused', async () => {
    const desk = await freshDesk();
    try {
      const vectors = loadFixture<{ app_secret: string; vectors: { raw_body_file?: string; raw_body?: string; x_hub_signature_256: string }[] }>(
        'meta-signature-vector.json',
      ).body;
      expect(vectors.app_secret).toBe(META_APP_SECRET);
      const [file, minified, escaped, reserialised] = vectors.vectors.map((v) => ({
        raw: v.raw_body_file ? loadFixture(v.raw_body_file).raw : (v.raw_body as string),
        signature: v.x_hub_signature_256,
      }));
      const post = (raw: string, signature: string) => desk.webhook(PATHS.meta, raw, { 'x-hub-signature-256': signature });
      // Re-serialising the escaped body (literal UTF-8) changes its bytes: the escaped body's signature no longer fits.
      expect((await post(reserialised?.raw as string, escaped?.signature as string)).status).toBe(403);
      expect(await storedRows(desk)).toBe(0);
      // The bytes Meta signs (non-ASCII as \uXXXX) verify, and decode to the real text.
      expect((await post(escaped?.raw as string, escaped?.signature as string)).status).toBe(200);
      const texts = async () => (await desk.messagesOf('whatsapp', '16505551234')).filter((m) => m.authorKind === 'user').map((m) => m.text);
      expect(await texts()).toEqual(['Grüße äöå']);
      // The file's own bytes (pretty-printed, trailing newline), the minified body and the literal UTF-8 body,
      // each with its own signature, verify too; they carry the same message id, so they are redeliveries.
      expect((await post(file?.raw as string, file?.signature as string)).status).toBe(200);
      expect((await post(minified?.raw as string, minified?.signature as string)).status).toBe(200);
      expect((await post(reserialised?.raw as string, reserialised?.signature as string)).status).toBe(200);
      expect(await texts()).toEqual(['Grüße äöå']);
    } finally {
      await desk.close({ remove: true });
    }
  });
});
