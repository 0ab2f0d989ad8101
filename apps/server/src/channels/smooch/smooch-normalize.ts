import { attachmentKindOf } from '@desk/core';
import { type ChannelInbound, isRecord, MalformedPayload, type NormalizedWebhook, num, type PendingMedia, str } from '../inbound/channel-inbound.ts';

function fileNameOf(url: string, fallback: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last).slice(0, 200) : fallback;
  } catch {
    return fallback;
  }
}

function messageOf(event: Record<string, unknown>, appId: string | null): ChannelInbound | null {
  const payload = isRecord(event.payload) ? event.payload : null;
  const conversation = isRecord(payload?.conversation) ? payload.conversation : null;
  const message = isRecord(payload?.message) ? payload.message : null;
  if (!conversation || !message) throw new MalformedPayload('A conversation:message event needs payload.conversation and payload.message.');
  const author = isRecord(message.author) ? message.author : null;
  // Desk's own (and other business) messages come back as events too: not the user talking.
  if (author?.type !== 'user') return null;
  // What Desk itself posted as the user into a Zendesk messaging relay conversation.
  if (isRecord(message.metadata) && message.metadata.origin === 'desk') return null;
  const conversationId = str(conversation.id);
  const id = str(message.id);
  const content = isRecord(message.content) ? message.content : null;
  if (!conversationId || !id || !content) throw new MalformedPayload('A message needs an id, a conversation id and content.');
  const type = str(content.type) ?? 'unknown';
  const media: PendingMedia[] = [];
  const mediaUrl = str(content.mediaUrl);
  if ((type === 'image' || type === 'file') && mediaUrl) {
    const mimeType = str(content.mediaType);
    media.push({
      kind: type === 'image' ? 'image' : attachmentKindOf(mimeType ?? ''),
      source: { type: 'url', url: mediaUrl },
      mimeType,
      name: fileNameOf(mediaUrl, type),
      size: num(content.mediaSize),
    });
  }
  const source = isRecord(message.source) ? message.source : null;
  const peer: Record<string, string> = {};
  const sourceType = str(source?.type);
  const userId = str(author.userId);
  if (sourceType) peer.sourceType = sourceType;
  if (userId) peer.userId = userId;
  if (appId) peer.appId = appId;
  return {
    channel: 'smooch',
    externalId: conversationId,
    channelMessageId: id,
    text: str(content.text) ?? '',
    profile: { name: str(author.displayName) },
    media,
    unsupportedType: type === 'text' || media.length > 0 ? null : type,
    peer,
  };
}

/**
 * A Sunshine Conversations v2 webhook → inbound messages. `events` is an array and every element
 * counts; only `conversation:message` events written by a user are messages. The Sunshine
 * conversation is Desk's conversation; `source.type` (whatsapp, telegram, …) is kept as a peer detail.
 */
export function normalizeSmoochWebhook(body: unknown, expectedAppId: string | null = null): NormalizedWebhook {
  if (!isRecord(body) || !Array.isArray(body.events)) throw new MalformedPayload('Not a Sunshine Conversations webhook: "events" is missing.');
  const appId = isRecord(body.app) ? str(body.app.id) : null;
  if (expectedAppId && appId && appId !== expectedAppId) throw new MalformedPayload('This webhook is for another Sunshine Conversations app.');
  const messages: ChannelInbound[] = [];
  for (const event of body.events) {
    if (!isRecord(event) || typeof event.type !== 'string') throw new MalformedPayload('Every event needs a type.');
    if (event.type !== 'conversation:message') continue;
    const message = messageOf(event, appId);
    if (message) messages.push(message);
  }
  return { messages, statuses: [] };
}
