import { describe, expect, it } from 'vitest';
import { MalformedPayload } from '../../src/channels/inbound/channel-inbound.ts';
import { normalizeMetaWebhook } from '../../src/channels/meta/meta-normalize.ts';
import { normalizeSmoochWebhook } from '../../src/channels/smooch/smooch-normalize.ts';
import { normalizeTelegramUpdate } from '../../src/channels/telegram/telegram-normalize.ts';
import { metaSignatureOf, metaSignatureValid, secretsEqual } from '../../src/channels/webhook-auth.ts';
import { type Json, loadFixture } from '../support/channel-fixtures.ts';

const telegram = (message: Json) => normalizeTelegramUpdate({ update_id: 1, message: { message_id: 5, chat: { id: 9, type: 'private' }, from: { id: 9, first_name: 'A' }, date: 1, ...message } });
const whatsapp = (message: Json) => {
  const body = loadFixture<Json>('whatsapp-text.json').body;
  body.entry[0].changes[0].value.messages = [{ from: '16505551234', id: 'wamid.x', timestamp: '1', ...message }];
  return normalizeMetaWebhook(body);
};

describe('Telegram normaliser', () => {
  it('takes the largest photo size (the last), the caption as text, and keeps ids unique per chat', async () => {
    const [m] = telegram({
      photo: [
        { file_id: 'small', file_size: 10 },
        { file_id: 'large', file_size: 99 },
      ],
      caption: 'look',
    }).messages;
    expect(m).toMatchObject({ externalId: '9', channelMessageId: '9:5', text: 'look', unsupportedType: null });
    expect(m?.media).toEqual([{ kind: 'image', source: { type: 'telegram-file', fileId: 'large' }, mimeType: 'image/jpeg', name: 'photo.jpg', size: 99 }]);
  });

  it('understands voice, audio, video, documents and stickers; notes the rest', async () => {
    const kinds = [
      { voice: { file_id: 'v', mime_type: 'audio/ogg' } },
      { audio: { file_id: 'a', mime_type: 'audio/mpeg', file_name: 'song.mp3' } },
      { video: { file_id: 'vi', mime_type: 'video/mp4' } },
      { video_note: { file_id: 'vn' } },
      { document: { file_id: 'd', mime_type: 'application/pdf', file_name: 'x.pdf' } },
      { sticker: { file_id: 's', is_animated: false, is_video: false } },
    ].map((part) => telegram(part).messages[0]?.media[0]?.kind);
    expect(kinds).toEqual(['audio', 'audio', 'video', 'video', 'file', 'image']);
    expect(telegram({ location: { latitude: 1, longitude: 2 } }).messages[0]).toMatchObject({ text: '', media: [], unsupportedType: 'location' });
    expect(telegram({ contact: { phone_number: '1' } }).messages[0]?.unsupportedType).toBe('contact');
  });

  it('ignores edits and other bots; refuses what Telegram never sends', async () => {
    expect(normalizeTelegramUpdate({ update_id: 1, edited_message: { message_id: 1 } }).messages).toEqual([]);
    expect(telegram({ from: { id: 1, is_bot: true }, text: 'x' }).messages).toEqual([]);
    expect(() => normalizeTelegramUpdate({ message: {} })).toThrow(MalformedPayload);
    expect(() => normalizeTelegramUpdate({ update_id: 1, message: { text: 'x' } })).toThrow(MalformedPayload);
  });
});

describe('Meta normaliser', () => {
  it('stores the WhatsApp sender phone in E.164 and the profile name', async () => {
    const [m] = normalizeMetaWebhook(loadFixture('whatsapp-text.json').body).messages;
    expect(m).toMatchObject({ channel: 'whatsapp', externalId: '16505551234', profile: { name: 'Sheena Nelson', phone: '+16505551234' } });
  });

  it('understands WhatsApp media (voice notes, documents, stickers), buttons, and notes locations', async () => {
    expect(whatsapp({ type: 'audio', audio: { id: 'm1', mime_type: 'audio/ogg; codecs=opus', voice: true } }).messages[0]?.media[0]).toMatchObject({
      kind: 'audio',
      source: { type: 'whatsapp-media', mediaId: 'm1' },
      name: 'voice.ogg',
    });
    expect(whatsapp({ type: 'document', document: { id: 'm2', mime_type: 'application/pdf', filename: 'invoice.pdf', caption: 'see' } }).messages[0]).toMatchObject({
      text: 'see',
      media: [{ kind: 'file', name: 'invoice.pdf' }],
    });
    expect(whatsapp({ type: 'sticker', sticker: { id: 'm3', mime_type: 'image/webp' } }).messages[0]?.media[0]?.kind).toBe('image');
    expect(whatsapp({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'b', title: 'Talk to a person' } } }).messages[0]?.text).toBe('Talk to a person');
    expect(whatsapp({ type: 'location', location: { latitude: 1, longitude: 2 } }).messages[0]).toMatchObject({ unsupportedType: 'location', media: [] });
  });

  it('reads Messenger and Instagram attachments by URL, remembers the page, skips echoes', async () => {
    const body = loadFixture<Json>('instagram-text.json').body;
    body.entry[0].messaging[0].message = { mid: 'm', attachments: [{ type: 'image', payload: { url: 'https://cdn.example/x.jpg' } }, { type: 'story_mention', payload: { url: 'https://x' } }] };
    const [m] = normalizeMetaWebhook(body).messages;
    expect(m).toMatchObject({ channel: 'instagram', peer: { pageId: 'IGID' }, unsupportedType: 'story_mention', media: [{ kind: 'image', source: { type: 'url', url: 'https://cdn.example/x.jpg' } }] });
    body.entry[0].messaging[0].message.is_echo = true;
    expect(normalizeMetaWebhook(body).messages).toEqual([]);
  });

  it('refuses bodies that are not Meta webhooks', async () => {
    for (const body of [null, [], { object: 'page' }, { object: 'other', entry: [] }, { object: 'page', entry: [1] }]) {
      expect(() => normalizeMetaWebhook(body)).toThrow(MalformedPayload);
    }
  });
});

describe('Sunshine normaliser', () => {
  it('processes every event, ignores business authors and non-message events, keeps the real channel', async () => {
    const body = loadFixture<Json>('smooch-message-image-whatsapp.json').body;
    const other = structuredClone(body.events[0]);
    other.payload.message.id = 'two';
    other.payload.message.content = { type: 'file', mediaUrl: 'https://files.example/report.pdf', mediaType: 'application/pdf', mediaSize: 10 };
    const business = structuredClone(body.events[0]);
    business.payload.message.author = { type: 'business' };
    body.events = [body.events[0], { type: 'conversation:read', payload: {} }, business, other];
    const messages = normalizeSmoochWebhook(body, '5ebee0975ac5304b664a12fa').messages;
    expect(messages.map((m) => [m.channelMessageId, m.media[0]?.kind, m.media[0]?.name])).toEqual([
      ['5f74c7d84a146f3abd72af1d', 'image', 'image.jpg'],
      ['two', 'file', 'report.pdf'],
    ]);
    expect(messages[0]).toMatchObject({ externalId: 'f52b01137aa6c250bc7251fa', text: 'Hello!', peer: { sourceType: 'whatsapp' }, profile: { name: 'Steve Rogers' } });
    expect(() => normalizeSmoochWebhook(body, 'another-app')).toThrow(MalformedPayload);
  });
});

describe('webhook authentication', () => {
  it('compares secrets in constant time whatever their lengths, and signs raw bytes', async () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    const raw = loadFixture('whatsapp-text.json').raw;
    const signature = metaSignatureOf(raw, 'test_app_secret');
    expect(signature).toBe('sha256=1c041e1c07f50386213ac582d2e17d24d70f1ed42949a6e5a5607057b805b5fc');
    expect(metaSignatureValid(Buffer.from(raw), signature, 'test_app_secret')).toBe(true);
    expect(metaSignatureValid(Buffer.from(raw), signature.toUpperCase().replace('SHA256', 'sha256'), 'test_app_secret')).toBe(true);
    expect(metaSignatureValid(Buffer.from(JSON.stringify(JSON.parse(raw))), signature, 'test_app_secret')).toBe(false);
    expect(metaSignatureValid(Buffer.from(raw), 'sha1=abc', 'test_app_secret')).toBe(false);
  });
});
