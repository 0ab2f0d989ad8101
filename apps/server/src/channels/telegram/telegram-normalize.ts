import {
  type ChannelInbound,
  idOf,
  isRecord,
  MalformedPayload,
  type NormalizedWebhook,
  num,
  type PendingMedia,
  str,
} from '../inbound/channel-inbound.ts';

/** Message types that carry something Desk can't show; the first one found names the system note. */
const OTHER_TYPES = [
  'location',
  'venue',
  'contact',
  'poll',
  'dice',
  'game',
  'invoice',
  'story',
  'giveaway',
  'paid_media',
  'successful_payment',
  'new_chat_members',
  'left_chat_member',
  'pinned_message',
  'web_app_data',
] as const;

function fileMedia(
  value: unknown,
  kind: PendingMedia['kind'],
  defaults: { mimeType?: string; name: string },
): PendingMedia | null {
  if (!isRecord(value)) return null;
  const fileId = str(value.file_id);
  if (!fileId) return null;
  return {
    kind,
    source: { type: 'telegram-file', fileId },
    mimeType: str(value.mime_type) ?? defaults.mimeType ?? null,
    name: str(value.file_name) ?? defaults.name,
    size: num(value.file_size),
  };
}

/** The file of a Telegram message, if it has one (photo: the largest size, which comes last). */
function mediaOf(message: Record<string, unknown>): PendingMedia | null {
  if (Array.isArray(message.photo) && message.photo.length > 0) {
    return fileMedia(message.photo[message.photo.length - 1], 'image', { mimeType: 'image/jpeg', name: 'photo.jpg' });
  }
  if (message.voice) return fileMedia(message.voice, 'audio', { mimeType: 'audio/ogg', name: 'voice.ogg' });
  if (message.audio) return fileMedia(message.audio, 'audio', { mimeType: 'audio/mpeg', name: 'audio.mp3' });
  if (message.video) return fileMedia(message.video, 'video', { mimeType: 'video/mp4', name: 'video.mp4' });
  if (message.video_note) return fileMedia(message.video_note, 'video', { mimeType: 'video/mp4', name: 'video-note.mp4' });
  if (message.animation) return fileMedia(message.animation, 'video', { mimeType: 'video/mp4', name: 'animation.mp4' });
  if (message.document) return fileMedia(message.document, 'file', { name: 'document' });
  if (isRecord(message.sticker)) {
    const s = message.sticker;
    const sticker = s.is_video
      ? { kind: 'video' as const, mimeType: 'video/webm', name: 'sticker.webm' }
      : s.is_animated
        ? { kind: 'image' as const, mimeType: 'application/x-tgsticker', name: 'sticker.tgs' }
        : { kind: 'image' as const, mimeType: 'image/webp', name: 'sticker.webp' };
    return fileMedia({ ...s, mime_type: sticker.mimeType, file_name: sticker.name }, sticker.kind, sticker);
  }
  return null;
}

function nameOf(from: Record<string, unknown> | null, chat: Record<string, unknown>): string | null {
  const person = from ?? chat;
  const full = [str(person.first_name), str(person.last_name)].filter(Boolean).join(' ');
  return full || str(person.username) || str(chat.title);
}

/**
 * A press on an inline keyboard button Desk sent: the user's choice, with the button's value.
 * The callback id makes redeliveries of the same press one message.
 */
function callbackQueryMessages(query: unknown): ChannelInbound[] {
  if (!isRecord(query)) throw new MalformedPayload('A Telegram callback_query must be an object.');
  const id = idOf(query.id);
  const data = str(query.data);
  const message = isRecord(query.message) ? query.message : null;
  const chatId = message && isRecord(message.chat) ? idOf(message.chat.id) : null;
  if (!id || !data || !chatId || !message) return [];
  const from = isRecord(query.from) ? query.from : null;
  return [
    {
      channel: 'telegram',
      externalId: chatId,
      channelMessageId: `${chatId}:callback:${id}`,
      text: data,
      choice: data,
      profile: { name: nameOf(from, message.chat as Record<string, unknown>) },
      media: [],
      unsupportedType: null,
      peer: { callbackQueryId: id },
    },
  ];
}

/**
 * A Telegram `Update` → inbound messages. Only `message` updates are conversations; edits, callback
 * queries and the rest are acknowledged and ignored. The chat is the conversation (a private
 * chat's id is the user's id); message ids are unique per chat, so the chat id prefixes them.
 */
export function normalizeTelegramUpdate(body: unknown): NormalizedWebhook {
  if (!isRecord(body) || typeof body.update_id !== 'number') throw new MalformedPayload('Not a Telegram update: update_id is missing.');
  if (body.callback_query !== undefined) return { messages: callbackQueryMessages(body.callback_query), statuses: [] };
  const message = body.message;
  if (message === undefined) return { messages: [], statuses: [] };
  if (!isRecord(message) || !isRecord(message.chat)) throw new MalformedPayload('A Telegram message needs a chat.');
  const chatId = idOf(message.chat.id);
  const messageId = idOf(message.message_id);
  if (!chatId || !messageId) throw new MalformedPayload('A Telegram message needs chat.id and message_id.');
  const from = isRecord(message.from) ? message.from : null;
  // Another bot in a group, or our own messages seen through a group: not a user talking to us.
  if (from?.is_bot === true) return { messages: [], statuses: [] };

  const media = mediaOf(message);
  const text = str(message.text) ?? str(message.caption) ?? '';
  const unsupportedType = !media && text === '' ? (OTHER_TYPES.find((type) => message[type] !== undefined) ?? 'unknown') : null;
  const inbound: ChannelInbound = {
    channel: 'telegram',
    externalId: chatId,
    channelMessageId: `${chatId}:${messageId}`,
    text,
    profile: { name: nameOf(from, message.chat) },
    media: media ? [media] : [],
    unsupportedType,
  };
  return { messages: [inbound], statuses: [] };
}
