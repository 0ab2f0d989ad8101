import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
import { type Json, loadFixture } from '../support/channel-fixtures.ts';
import { type StandIn, startGraphStandIn, startSmoochStandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';
import { push } from '../sync/sync-helpers.ts';

/**
 * Internal notes never reach a platform: on every channel, a note and then a reply are written in
 * the ticket; the platform's stand-in receives the reply and nothing of the note.
 */

let telegram: StandIn;
let graph: StandIn;
let smooch: StandIn;
let desk: ChannelDesk;

beforeAll(async () => {
  telegram = await startTelegramStandIn(TELEGRAM_TOKEN);
  graph = await startGraphStandIn({ phoneNumberId: WHATSAPP_PHONE_NUMBER_ID, whatsapp: WHATSAPP_TOKEN, page: PAGE_TOKEN, instagram: INSTAGRAM_TOKEN });
  smooch = await startSmoochStandIn(SMOOCH_APP_ID, SMOOCH_KEY_ID, SMOOCH_KEY_SECRET);
});
afterAll(async () => {
  await Promise.all([telegram.close(), graph.close(), smooch.close()]);
});
afterEach(async () => {
  await desk?.close({ remove: true });
  telegram.clear();
  graph.clear();
  smooch.clear();
});

const ASK = 'could I please speak with a real person';

interface Platform {
  channel: 'telegram' | 'whatsapp' | 'messenger' | 'smooch';
  externalId: string;
  say(text: string): Promise<void>;
  standIn(): StandIn;
}

const platforms: Platform[] = [
  {
    channel: 'telegram',
    externalId: '5151',
    async say(text) {
      const base = loadFixture<Json>('telegram-text-modern.json').body;
      const update = { update_id: 9001, message: { ...base.message, message_id: 77, from: { ...base.message.from, id: 5151 }, chat: { ...base.message.chat, id: 5151 }, text } };
      expect((await desk.webhook('/channels/telegram/webhook', JSON.stringify(update), telegramSecret())).status).toBe(200);
    },
    standIn: () => telegram,
  },
  {
    channel: 'whatsapp',
    externalId: '5511955554444',
    async say(text) {
      const body = structuredClone(loadFixture<Json>('whatsapp-text.json').body);
      const value = body.entry[0].changes[0].value;
      value.contacts = [{ profile: { name: 'Rita' }, wa_id: '5511955554444' }];
      value.messages = [{ from: '5511955554444', id: 'wamid.notes-1', timestamp: '1749416383', type: 'text', text: { body: text } }];
      const raw = JSON.stringify(body);
      expect((await desk.webhook('/channels/meta/webhook', raw, signMeta(raw))).status).toBe(200);
    },
    standIn: () => graph,
  },
  {
    channel: 'messenger',
    externalId: '6900000000000001',
    async say(text) {
      const body = structuredClone(loadFixture<Json>('messenger-text.json').body);
      body.entry[0].messaging[0].sender.id = '6900000000000001';
      body.entry[0].messaging[0].message = { mid: 'mid.notes-1', text };
      const raw = JSON.stringify(body);
      expect((await desk.webhook('/channels/meta/webhook', raw, signMeta(raw))).status).toBe(200);
    },
    standIn: () => graph,
  },
  {
    channel: 'smooch',
    externalId: 'f52b01137aa6c250bc7251fa',
    async say(text) {
      const body = structuredClone(loadFixture<Json>('smooch-message-telegram.json').body);
      body.events[0].payload.message.content.text = text;
      const raw = JSON.stringify(body);
      expect((await desk.webhook('/channels/smooch/webhook', raw, smoochSecret())).status).toBe(200);
    },
    standIn: () => smooch,
  },
];

describe('internal notes never reach a platform', () => {
  it.each(platforms)('$channel: the reply is sent, the note is not', async (platform) => {
    desk = await startChannelDesk({ env: channelEnv({ telegram, graph, smooch }) });
    await platform.say(ASK);
    const ticket = await eventually(() => desk.ticketOf(platform.channel, platform.externalId) ?? desk.services.tickets.get(desk.services.conversations.findByIdentity(platform.channel, platform.externalId)?.activeTicketId ?? ''), 'the ticket');
    const clientId = randomUUID();
    const mutations = [
      { id: 1, name: 'ticket.note', args: { ticketId: ticket.id, messageId: randomUUID(), text: 'PRIVATE-NOTE: customer was rude last time' } },
      { id: 2, name: 'ticket.reply', args: { ticketId: ticket.id, messageId: randomUUID(), text: 'PUBLIC-REPLY: happy to help' } },
    ];
    // push() only needs request(), which the channel desk has as well.
    const res = await push(desk as never, clientId, mutations, { token: desk.agent.token });
    expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    await desk.drainOutbox();
    const sent = () => platform.standIn().received(() => true).map((r) => r.raw);
    await eventually(() => sent().some((raw) => raw.includes('PUBLIC-REPLY')), 'the reply sent');
    await desk.drainOutbox();
    expect(sent().filter((raw) => raw.includes('PRIVATE-NOTE'))).toEqual([]);
    expect(desk.count("SELECT COUNT(*) FROM messages WHERE text LIKE '%PRIVATE-NOTE%'")).toBe(0);
    expect(desk.count('SELECT COUNT(*) FROM notes WHERE ticket_id = ?', ticket.id)).toBe(1);
  });
});
