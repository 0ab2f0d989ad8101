import { internationalFromDigits } from '@desk/core';
import {
  type ChannelInbound,
  type DeliveryReport,
  isRecord,
  MalformedPayload,
  type NormalizedWebhook,
  num,
  type PendingMedia,
  str,
} from '../inbound/channel-inbound.ts';

/** Meta's webhook objects and the Desk channel each one feeds. */
export const META_OBJECTS = { whatsapp_business_account: 'whatsapp', page: 'messenger', instagram: 'instagram' } as const;
export type MetaObject = keyof typeof META_OBJECTS;
export type MetaChannel = (typeof META_OBJECTS)[MetaObject];

const WHATSAPP_MEDIA = {
  image: { kind: 'image', name: 'image.jpg' },
  audio: { kind: 'audio', name: 'audio.ogg' },
  video: { kind: 'video', name: 'video.mp4' },
  document: { kind: 'file', name: 'document' },
  sticker: { kind: 'image', name: 'sticker.webp' },
} as const satisfies Record<string, { kind: PendingMedia['kind']; name: string }>;

/** The object a Meta webhook is about; 400 for anything Meta wouldn't send to this app. */
export function metaObjectOf(body: unknown): { object: MetaObject; entries: Record<string, unknown>[] } {
  if (!isRecord(body) || typeof body.object !== 'string') throw new MalformedPayload('Not a Meta webhook: "object" is missing.');
  if (!(body.object in META_OBJECTS)) throw new MalformedPayload(`Unexpected webhook object "${body.object}".`);
  if (!Array.isArray(body.entry) || !body.entry.every(isRecord)) throw new MalformedPayload('A Meta webhook needs an "entry" array.');
  return { object: body.object as MetaObject, entries: body.entry };
}

function whatsappText(message: Record<string, unknown>): string {
  const type = str(message.type);
  const part = (key: string) => (isRecord(message[key]) ? (message[key] as Record<string, unknown>) : null);
  if (type === 'text') return str(part('text')?.body) ?? '';
  if (type === 'button') return str(part('button')?.text) ?? '';
  if (type === 'interactive') {
    const interactive = part('interactive');
    const reply = isRecord(interactive?.button_reply) ? interactive.button_reply : isRecord(interactive?.list_reply) ? interactive.list_reply : null;
    return str(reply?.title) ?? '';
  }
  return str(type ? part(type)?.caption : null) ?? '';
}

function whatsappMessage(value: Record<string, unknown>, message: Record<string, unknown>): ChannelInbound {
  const from = str(message.from);
  const id = str(message.id);
  if (!from || !id) throw new MalformedPayload('A WhatsApp message needs "from" and "id".');
  const type = str(message.type) ?? 'unknown';
  const contacts = Array.isArray(value.contacts) ? value.contacts.filter(isRecord) : [];
  const contact = contacts.find((c) => c.wa_id === from) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const name = isRecord(contact?.profile) ? str(contact.profile.name) : null;

  const media: PendingMedia[] = [];
  const spec = type in WHATSAPP_MEDIA ? WHATSAPP_MEDIA[type as keyof typeof WHATSAPP_MEDIA] : null;
  const body = spec && isRecord(message[type]) ? (message[type] as Record<string, unknown>) : null;
  const mediaId = str(body?.id);
  if (spec && body && mediaId) {
    const voice = type === 'audio' && body.voice === true;
    media.push({
      kind: spec.kind,
      // Newer image webhooks may carry a URL too; the media id path is the documented one.
      source: { type: 'whatsapp-media', mediaId },
      mimeType: str(body.mime_type),
      name: str(body.filename) ?? (voice ? 'voice.ogg' : spec.name),
      size: num(body.file_size),
    });
  }
  const text = whatsappText(message);
  const understood = media.length > 0 || ['text', 'button', 'interactive'].includes(type);
  return {
    channel: 'whatsapp',
    externalId: from,
    channelMessageId: id,
    text,
    // wa_id is the phone without "+". It is parsed (libphonenumber, ~0.1 ms) only where a contact is
    // created, into E.164 and matched against contacts known by phone (the engine's contactFor), not
    // for every message of a conversation that has its contact already.
    profile: { name, phone: internationalFromDigits(from) },
    media,
    unsupportedType: understood ? null : type,
  };
}

const STATUS: Record<string, DeliveryReport['state']> = { sent: 'sent', delivered: 'delivered', read: 'delivered', failed: 'failed' };

function whatsappStatus(status: Record<string, unknown>): DeliveryReport | null {
  const id = str(status.id);
  const state = STATUS[str(status.status) ?? ''];
  if (!id || !state) return null;
  const first = Array.isArray(status.errors) && isRecord(status.errors[0]) ? status.errors[0] : null;
  const error = first ? (str((first.error_data as Record<string, unknown> | undefined)?.details) ?? str(first.message) ?? str(first.title)) : null;
  return { channel: 'whatsapp', channelMessageId: id, state, error };
}

function normalizeWhatsApp(entries: Record<string, unknown>[]): NormalizedWebhook {
  const out: NormalizedWebhook = { messages: [], statuses: [] };
  for (const entry of entries) {
    if (!Array.isArray(entry.changes)) throw new MalformedPayload('A WhatsApp entry needs "changes".');
    for (const change of entry.changes) {
      if (!isRecord(change) || !isRecord(change.value)) throw new MalformedPayload('A WhatsApp change needs a "value".');
      if (change.field !== undefined && change.field !== 'messages') continue;
      const value = change.value;
      for (const message of Array.isArray(value.messages) ? value.messages : []) {
        if (!isRecord(message)) throw new MalformedPayload('A WhatsApp message must be an object.');
        out.messages.push(whatsappMessage(value, message));
      }
      for (const status of Array.isArray(value.statuses) ? value.statuses : []) {
        const report = isRecord(status) ? whatsappStatus(status) : null;
        if (report) out.statuses.push(report);
      }
    }
  }
  return out;
}

/** Messenger and Instagram share `entry[].messaging[]`; attachments carry a download URL. */
function normalizeMessaging(entries: Record<string, unknown>[], channel: 'messenger' | 'instagram'): NormalizedWebhook {
  const out: NormalizedWebhook = { messages: [], statuses: [] };
  for (const entry of entries) {
    if (entry.messaging === undefined) continue;
    if (!Array.isArray(entry.messaging)) throw new MalformedPayload('"messaging" must be an array.');
    for (const event of entry.messaging) {
      if (!isRecord(event)) throw new MalformedPayload('A messaging event must be an object.');
      const message = event.message;
      // Deliveries, reads, reactions, postbacks: not messages.
      if (!isRecord(message)) continue;
      // Our own messages, echoed back.
      if (message.is_echo === true) continue;
      const sender = isRecord(event.sender) ? str(event.sender.id) : null;
      const mid = str(message.mid);
      if (!sender || !mid) throw new MalformedPayload('A message needs sender.id and message.mid.');
      const media: PendingMedia[] = [];
      let unsupportedType: string | null = null;
      for (const attachment of Array.isArray(message.attachments) ? message.attachments : []) {
        if (!isRecord(attachment)) continue;
        const type = str(attachment.type) ?? 'unknown';
        const url = isRecord(attachment.payload) ? str(attachment.payload.url) : null;
        const kind = type === 'image' || type === 'audio' || type === 'video' ? type : type === 'file' ? 'file' : null;
        if (kind && url) media.push({ kind, source: { type: 'url', url }, mimeType: null, name: null, size: null });
        else unsupportedType ??= type;
      }
      if (message.is_unsupported === true) unsupportedType ??= 'unsupported';
      const text = str(message.text) ?? '';
      if (!text && media.length === 0) unsupportedType ??= 'unknown';
      const pageId = str(entry.id) ?? (isRecord(event.recipient) ? str(event.recipient.id) : null);
      out.messages.push({
        channel,
        externalId: sender,
        channelMessageId: mid,
        text,
        media,
        unsupportedType,
        ...(pageId && { peer: { pageId } }),
      });
    }
  }
  return out;
}

/**
 * A Meta webhook body → inbound messages and delivery reports, for the channel its object names.
 */
export function normalizeMetaWebhook(body: unknown): NormalizedWebhook & { channel: MetaChannel } {
  const { object, entries } = metaObjectOf(body);
  const channel = META_OBJECTS[object];
  const result = channel === 'whatsapp' ? normalizeWhatsApp(entries) : normalizeMessaging(entries, channel);
  return { ...result, channel };
}
