import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChannelDesk,
  channelEnv,
  eventually,
  INSTAGRAM_TOKEN,
  PAGE_TOKEN,
  signMeta,
  startChannelDesk,
  TELEGRAM_TOKEN,
  telegramSecret,
  WHATSAPP_PHONE_NUMBER_ID,
  WHATSAPP_TOKEN,
} from '../support/channel-desk.ts';
import { loadFixture, type Json } from '../support/channel-fixtures.ts';
import { type Recorded, type StandIn, startGraphStandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';


let telegram: StandIn;
let graph: StandIn;
let desk: ChannelDesk;

beforeAll(async () => {
  telegram = await startTelegramStandIn(TELEGRAM_TOKEN);
  graph = await startGraphStandIn({ phoneNumberId: WHATSAPP_PHONE_NUMBER_ID, whatsapp: WHATSAPP_TOKEN, page: PAGE_TOKEN, instagram: INSTAGRAM_TOKEN });
});
afterAll(async () => {
  await Promise.all([telegram.close(), graph.close()]);
});
afterEach(async () => {
  await desk?.close({ remove: true });
  telegram.clear();
  graph.clear();
});

/** A user of a platform: writes through the real webhook, reads what Desk sent to the stand-in. */
interface User {
  say(text: string): Promise<void>;
  /** Texts Desk sent this user, in order. */
  received(): string[];
  externalId: string;
  channel: 'telegram' | 'whatsapp';
}

function telegramUser(chatId: number): User {
  const base = loadFixture<Json>('telegram-text-modern.json').body;
  let n = 100;
  return {
    channel: 'telegram',
    externalId: String(chatId),
    async say(text) {
      n += 1;
      const update = { update_id: 5000 + n, message: { ...base.message, message_id: n, from: { ...base.message.from, id: chatId }, chat: { ...base.message.chat, id: chatId }, text } };
      const res = await desk.webhook('/channels/telegram/webhook', JSON.stringify(update), telegramSecret());
      expect(res.status).toBe(200);
    },
    received() {
      return telegram
        .received((r) => r.path === `/bot${TELEGRAM_TOKEN}/sendMessage` && r.json.chat_id === chatId)
        .map((r) => r.json.text as string);
    },
  };
}

function whatsappUser(waId: string): User {
  const base = loadFixture<Json>('whatsapp-text.json').body;
  let n = 0;
  return {
    channel: 'whatsapp',
    externalId: waId,
    async say(text) {
      n += 1;
      const body = structuredClone(base);
      const value = body.entry[0].changes[0].value;
      value.contacts = [{ profile: { name: 'Sheena Nelson' }, wa_id: waId }];
      value.messages = [{ from: waId, id: `wamid.story-${waId}-${n}`, timestamp: String(1749416383 + n), type: 'text', text: { body: text } }];
      const raw = JSON.stringify(body);
      const res = await desk.webhook('/channels/meta/webhook', raw, signMeta(raw));
      expect(res.status).toBe(200);
    },
    received() {
      const sends = graph.received((r: Recorded) => r.path === `/${WHATSAPP_PHONE_NUMBER_ID}/messages` && r.json.to === waId);
      for (const r of sends) expect(r.headers.authorization).toBe(`Bearer ${WHATSAPP_TOKEN}`);
      return sends.map((r) => r.json.text.body as string);
    },
  };
}

async function playTheStory(user: User) {
  const answers = (n: number) => eventually(() => (user.received().length >= n ? user.received() : null), `${n} messages to the user`);

  // 1. The bot answers.
  await user.say('hello');
  expect((await answers(1))[0]).toMatch(/virtual assistant/);

  // 2. Words that are not a training phrase hand the conversation off: the bot says so, a ticket opens.
  await user.say('could I please speak with a real person');
  expect((await answers(2))[1]).toMatch(/passing you to an agent/);
  const ticket = await desk.ticketOf(user.channel, user.externalId);
  expect(ticket).toMatchObject({ channel: user.channel, subject: 'Desk — Talk to a person' });
  expect(['new', 'open']).toContain(ticket?.status);
  const ticketId = ticket?.id as string;

  // 3. The agent's reply reaches the user's app; its delivery state shows in the ticket.
  const reply = await desk.request(`/api/tickets/${ticketId}/messages`, { method: 'POST', json: { text: 'Hi, this is Ana. How can I help?' } });
  expect(reply.status).toBe(201);
  const replyId = ((await reply.json()) as { message: { id: string } }).message.id;
  expect((await answers(3))[2]).toBe('Hi, this is Ana. How can I help?');
  await eventually(async () => (await desk.services.messages.get(replyId))?.delivery?.state === 'sent', 'the reply marked sent');

  // 4. While the ticket is open the bot is silent and the user's messages join the ticket.
  await user.say('my order never arrived');
  const listed = await desk.request(`/api/tickets/${ticketId}/messages`);
  const texts = ((await listed.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
  expect(texts).toEqual(expect.arrayContaining(['hello', 'could I please speak with a real person', 'Hi, this is Ana. How can I help?', 'my order never arrived']));
  // The webhook has answered; once the outbox is drained, anything the bot had queued would have gone out.
  await desk.drainOutbox();
  expect(user.received()).toHaveLength(3);

  // 5. Solved: the conversation goes back to the bot (the system note stays in Desk).
  const solved = await desk.request(`/api/tickets/${ticketId}`, { method: 'PATCH', json: { status: 'solved' } });
  expect(solved.status).toBe(200);
  expect((await desk.services.conversations.findByIdentity(user.channel, user.externalId))?.mode).toBe('bot');

  // 6. The bot answers again.
  await user.say('what time do you open');
  expect((await answers(4))[3]).toMatch(/Monday to Friday/);
  expect(user.received()).toHaveLength(4);
  return ticketId;
}

describe('the whole story through the platforms', () => {
  it('runs on Telegram: bot answer, hand-off, agent reply, solved, bot again', async () => {
    desk = await startChannelDesk({ env: channelEnv({ telegram, graph }) });
    await playTheStory(telegramUser(4242));
    const contact = await desk.services.contacts.findByIdentity('telegram', '4242');
    expect(contact).toMatchObject({ name: 'Sojan Jose', identities: [{ channel: 'telegram', externalId: '4242' }] });
  });

  it('runs on WhatsApp, matching a contact known by phone so their designated agent gets the ticket', async () => {
    desk = await startChannelDesk({ env: channelEnv({ telegram, graph }) });
    const created = await desk.request('/api/contacts', {
      method: 'POST',
      token: desk.admin.token,
      json: { name: 'Sheena (VIP)', phone: '+1 650 555 1234', designatedAgentId: desk.agent.id },
    });
    expect(created.status).toBe(201);
    const known = ((await created.json()) as { contact: { id: string; phone: string } }).contact;
    expect(known.phone).toBe('+16505551234');

    const ticketId = await playTheStory(whatsappUser('16505551234'));
    // Assigned from the first message on, so `new` became `open` (and then the agent solved it).
    expect(await desk.services.tickets.get(ticketId)).toMatchObject({ contactId: known.id, assigneeId: desk.agent.id, status: 'solved' });
    expect((await desk.services.contacts.get(known.id))?.identities).toEqual([{ channel: 'whatsapp', externalId: '16505551234' }]);
  });

  it('stores a new WhatsApp user with the name and the phone in E.164', async () => {
    desk = await startChannelDesk({ env: channelEnv({ telegram, graph }) });
    await whatsappUser('5511912345678').say('hello');
    expect(await desk.services.contacts.findByIdentity('whatsapp', '5511912345678')).toMatchObject({ name: 'Sheena Nelson', phone: '+5511912345678' });
  });
});
