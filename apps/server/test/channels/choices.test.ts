import type { IntentInput } from '@desk/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChannelDesk,
  channelEnv,
  eventually,
  signMeta,
  startChannelDesk,
  TELEGRAM_TOKEN,
  telegramSecret,
  WHATSAPP_PHONE_NUMBER_ID,
  WHATSAPP_TOKEN,
  PAGE_TOKEN,
  INSTAGRAM_TOKEN,
  SMOOCH_APP_ID,
  SMOOCH_KEY_ID,
  SMOOCH_KEY_SECRET,
  smoochSecret,
} from '../support/channel-desk.ts';
import { loadFixture, type Json } from '../support/channel-fixtures.ts';
import { sampleIntents } from '../support/desk-fixture.ts';
import { type StandIn, startGraphStandIn, startSmoochStandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';

const quiet = { enabled: false, agentId: null, status: 'new', priority: 'normal' } as const;
// Two intents one sentence can't tell apart, so the bot asks which one.
const twins: IntentInput[] = [
  { name: 'Reset password', phrases: ['I forgot my password', 'reset my password'], answers: ['Use "Forgot password" on the sign-in page.'], desk: quiet },
  { name: 'Account locked', phrases: ['my account is locked', 'I forgot my password'], answers: ['Your account unlocks itself after 15 minutes.'], desk: quiet },
];

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
beforeEach(async () => {
  desk = await startChannelDesk({ env: channelEnv({ telegram, graph, smooch }), intents: false });
  for (const input of [...sampleIntents(), ...twins]) desk.services.intents.create(input);
  await desk.services.retrainBot();
});
afterEach(async () => {
  await desk?.close({ remove: true });
  telegram.clear();
  graph.clear();
  smooch.clear();
});

describe('Telegram', () => {
  const chatId = 424242;
  const base = loadFixture<Json>('telegram-text-modern.json').body;
  const sends = () => telegram.received((r) => r.path === `/bot${TELEGRAM_TOKEN}/sendMessage` && r.json.chat_id === chatId);

  it('asks with an inline keyboard; a press (callback_query) is answered and read as the choice', async () => {
    const update = { update_id: 9001, message: { ...base.message, message_id: 11, from: { ...base.message.from, id: chatId }, chat: { ...base.message.chat, id: chatId }, text: 'I forgot my password' } };
    expect((await desk.webhook('/channels/telegram/webhook', JSON.stringify(update), telegramSecret())).status).toBe(200);
    const question = await eventually(() => sends()[0], 'the question sent');
    expect(question.json.text).toBe('Just to be sure: do you mean…');
    const keyboard = question.json.reply_markup.inline_keyboard as { text: string; callback_data: string }[][];
    expect(keyboard.map((row) => row[0]?.text).sort()).toEqual(['Account locked', 'Reset password']);
    const locked = keyboard.flat().find((button) => button.text === 'Account locked');

    // The press, as Telegram delivers it (Bot API `Update` with a `callback_query`).
    const press = {
      update_id: 9002,
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from: { ...base.message.from, id: chatId },
        message: { message_id: 5001, from: { id: 777000, is_bot: true, first_name: 'Desk Bot' }, chat: { ...base.message.chat, id: chatId }, date: 1749416400, text: question.json.text },
        chat_instance: '-7094413573364434113',
        data: locked?.callback_data,
      },
    };
    expect((await desk.webhook('/channels/telegram/webhook', JSON.stringify(press), telegramSecret())).status).toBe(200);
    await eventually(() => telegram.received((r) => r.path === `/bot${TELEGRAM_TOKEN}/answerCallbackQuery`)[0], 'the callback query answered');
    expect(telegram.received((r) => r.path === `/bot${TELEGRAM_TOKEN}/answerCallbackQuery`)[0]?.json).toEqual({ callback_query_id: '4382bfdwdsb323b2d9' });
    const answer = await eventually(() => sends()[1], 'the answer sent');
    expect(answer.json.text).toBe('Your account unlocks itself after 15 minutes.');
    expect(answer.json.reply_markup).toBeUndefined();
    // The transcript shows what the user chose, not the button's payload.
    expect(desk.messagesOf('telegram', String(chatId)).filter((m) => m.authorKind === 'user').map((m) => m.text)).toEqual(['I forgot my password', 'Account locked']);
  });
});

describe('WhatsApp', () => {
  const waId = '16505551234';
  const base = loadFixture<Json>('whatsapp-text.json').body;
  const post = async (message: Record<string, unknown>) => {
    const body = structuredClone(base);
    const value = body.entry[0].changes[0].value;
    value.contacts = [{ profile: { name: 'Sheena Nelson' }, wa_id: waId }];
    value.messages = [{ from: waId, timestamp: '1749416383', ...message }];
    const raw = JSON.stringify(body);
    expect((await desk.webhook('/channels/meta/webhook', raw, signMeta(raw))).status).toBe(200);
  };
  const sends = () => graph.received((r) => r.path === `/${WHATSAPP_PHONE_NUMBER_ID}/messages` && r.json.to === waId);

  it('asks with interactive reply buttons; the button_reply is read as the choice', async () => {
    await post({ id: 'wamid.choices-1', type: 'text', text: { body: 'I forgot my password' } });
    const question = await eventually(() => sends()[0], 'the question sent');
    expect(question.json).toMatchObject({ messaging_product: 'whatsapp', type: 'interactive', interactive: { type: 'button', body: { text: 'Just to be sure: do you mean…' } } });
    const buttons = question.json.interactive.action.buttons as { type: string; reply: { id: string; title: string } }[];
    expect(buttons.map((b) => b.type)).toEqual(['reply', 'reply']);
    expect(buttons.map((b) => b.reply.title).sort()).toEqual(['Account locked', 'Reset password']);
    const reset = buttons.find((b) => b.reply.title === 'Reset password');

    // The press, as WhatsApp delivers it: an `interactive` message with the button's id and title.
    await post({ id: 'wamid.choices-2', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: reset?.reply.id, title: reset?.reply.title } } });
    const answer = await eventually(() => sends()[1], 'the answer sent');
    expect(answer.json).toMatchObject({ type: 'text', text: { body: 'Use "Forgot password" on the sign-in page.' } });
  });
});

describe('Messenger', () => {
  const psid = '6912345678901234';
  const post = async (mid: string, message: Record<string, unknown>) => {
    const body = structuredClone(loadFixture<Json>('messenger-text.json').body);
    body.entry[0].messaging[0].sender.id = psid;
    body.entry[0].messaging[0].message = { mid, ...message };
    const raw = JSON.stringify(body);
    expect((await desk.webhook('/channels/meta/webhook', raw, signMeta(raw))).status).toBe(200);
  };
  const sends = () => graph.received((r) => r.method === 'POST' && r.path.endsWith('/messages') && r.json?.recipient?.id === psid);

  it('asks with quick replies; a tap (text + quick_reply payload) is read as the choice', async () => {
    await post('mid.choices-1', { text: 'I forgot my password' });
    const question = await eventually(() => sends()[0], 'the question sent');
    expect(question.json.message.text).toBe('Just to be sure: do you mean…');
    const replies = question.json.message.quick_replies as { content_type: string; title: string; payload: string }[];
    expect(replies.map((r) => r.content_type)).toEqual(['text', 'text']);
    expect(replies.map((r) => r.title).sort()).toEqual(['Account locked', 'Reset password']);
    const locked = replies.find((r) => r.title === 'Account locked');
    // A tap on a quick reply, as Messenger delivers it: the title as text, the payload beside it.
    await post('mid.choices-2', { text: locked?.title, quick_reply: { payload: locked?.payload } });
    const answer = await eventually(() => sends()[1], 'the answer sent');
    expect(answer.json.message).toEqual({ text: 'Your account unlocks itself after 15 minutes.' });
  });
});

describe('Sunshine Conversations', () => {
  const fixture = loadFixture<Json>('smooch-message-whatsapp.json').body;
  const conversationId = fixture.events[0].payload.conversation.id as string;
  /** A `conversation:message` webhook from the user, as Sunshine Conversations v2 posts it. */
  const post = async (id: string, content: Record<string, unknown>) => {
    const body = structuredClone(fixture);
    body.events[0].id = `event-${id}`;
    body.events[0].payload.message.id = id;
    body.events[0].payload.message.content = content;
    expect((await desk.webhook('/channels/smooch/webhook', JSON.stringify(body), smoochSecret())).status).toBe(200);
  };
  const sends = () => smooch.received((r) => r.method === 'POST' && r.path === `/v2/apps/${SMOOCH_APP_ID}/conversations/${conversationId}/messages`);

  it('asks with reply actions; a tapped reply (its text and payload) is read as the choice', async () => {
    await post('smooch-choices-1', { type: 'text', text: 'I forgot my password' });
    const question = await eventually(() => sends()[0], 'the question sent');
    expect(question.json.author).toEqual({ type: 'business' });
    expect(question.json.content.type).toBe('text');
    expect(question.json.content.text).toBe('Just to be sure: do you mean…');
    const actions = question.json.content.actions as { type: string; text: string; payload: string }[];
    expect(actions.map((a) => a.type)).toEqual(['reply', 'reply']);
    expect(actions.map((a) => a.text).sort()).toEqual(['Account locked', 'Reset password']);
    const reset = actions.find((a) => a.text === 'Reset password');
    expect(reset?.payload).toBeTruthy();

    // A tap on a reply action, as Sunshine Conversations delivers it: the action's text as a text message, its payload beside it.
    await post('smooch-choices-2', { type: 'text', text: reset?.text, payload: reset?.payload });
    const answer = await eventually(() => sends()[1], 'the answer sent');
    expect(answer.json.content).toEqual({ type: 'text', text: 'Use "Forgot password" on the sign-in page.' });
    // The transcript shows what the user chose.
    expect(desk.messagesOf('smooch', conversationId).filter((m) => m.authorKind === 'user').map((m) => m.text)).toEqual(['I forgot my password', 'Reset password']);
  });
});
