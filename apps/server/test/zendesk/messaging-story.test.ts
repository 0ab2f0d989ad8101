import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChannelDesk, eventually, SMOOCH_KEY_ID, SMOOCH_KEY_SECRET, SMOOCH_WEBHOOK_SECRET, smoochSecret, TELEGRAM_TOKEN } from '../support/channel-desk.ts';
import { loadFixture, type Json } from '../support/channel-fixtures.ts';
import { SAMPLE_BYTES, type StandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';
import { FakeSunshine } from '../support/zendesk/fake-sunshine.ts';
import {
  type ChatUser,
  connectMessaging,
  routeTalkToAPerson,
  startZendeskDesk,
  TELEGRAM_PHOTO_FILE_ID,
  telegramUser,
  webchatUser,
} from '../support/zendesk/zendesk-desk.ts';

let sunshine: FakeSunshine;
let telegram: StandIn;
let desk: ChannelDesk;

beforeAll(async () => {
  telegram = await startTelegramStandIn(TELEGRAM_TOKEN, { [TELEGRAM_PHOTO_FILE_ID]: { path: 'photos/file_2.jpg', bytes: SAMPLE_BYTES.jpeg, contentType: 'image/jpeg' } });
});
afterAll(() => telegram.close());
beforeEach(async () => {
  // The messaging integration uses the same Sunshine app as the Sunshine channel.
  sunshine = await FakeSunshine.start({ keyId: SMOOCH_KEY_ID, keySecret: SMOOCH_KEY_SECRET });
  desk = await startZendeskDesk({ sunshine, standIns: { telegram, smooch: { url: sunshine.url } as StandIn } });
  expect(await connectMessaging(desk, sunshine)).toMatchObject({ ok: true });
  await routeTalkToAPerson(desk, 'zendesk_messaging');
});
afterEach(async () => {
  await sunshine.settled();
  await desk.close({ remove: true });
  await sunshine.close();
  telegram.clear();
});

const users: Record<string, () => ChatUser> = {
  'web chat': () => webchatUser(desk, '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'),
  Telegram: () => telegramUser(desk, telegram, 5151),
};

describe.each(Object.keys(users))('Zendesk messaging on %s (Desk relays through Sunshine)', (name) => {
  it('passes control with the transcript and metadata, relays both ways once, ignores echoes, and the release brings the bot back', async () => {
    const user = (users[name] as () => ChatUser)();
    await user.say('hello');
    await eventually(async () => (await user.received()).some((t) => t.startsWith('Hello!')), 'the bot answer');
    await user.say('I want to talk to a person');
    const conversation = await eventually(() => [...sunshine.conversations.values()].find((c) => c.passControl.length > 0), 'passControl');

    const contactId = (await desk.services.conversations.findByIdentity(user.channel, user.externalId))?.contactId as string;
    expect([...sunshine.users.values()].map((u) => u.externalId)).toEqual([contactId]);
    expect(conversation.participants).toEqual([{ userExternalId: contactId }]);
    const posted = conversation.messages.map((m) => [m.author.type, m.content.text]);
    expect(posted[0]).toEqual(['user', 'hello']);
    expect(posted).toContainEqual(['user', 'I want to talk to a person']);
    expect(posted.some(([type, text]) => type === 'business' && String(text).startsWith('Hello!'))).toBe(true);
    const [pass] = conversation.passControl;
    expect(pass?.switchboardIntegration).toBe('zd:agentWorkspace');
    expect(pass?.metadata).toEqual({
      first_message_id: conversation.messages[0]?.id,
      'dataCapture.systemField.tags': 'chatbot',
      'dataCapture.systemField.requester.name': (await desk.services.contacts.get(contactId))?.name,
      'dataCapture.systemField.priority': 'high',
    });
    await eventually(async () => (await desk.services.conversations.findByIdentity(user.channel, user.externalId))?.mode === 'zendesk_messaging', 'messaging mode');

    // Sunshine echoed every message Desk posted: none came back to the user as an agent message.
    await sunshine.settled();
    expect((await desk.messagesOf(user.channel, user.externalId)).filter((m) => m.authorKind === 'agent')).toHaveLength(0);

    // The user's follow-ups (text and a file) go to the Sunshine conversation; the bot stays silent.
    const botAnswers = async () => (await desk.messagesOf(user.channel, user.externalId)).filter((m) => m.authorKind === 'bot').length;
    const answered = await botAnswers();
    await user.say('where is my order?');
    await user.sendImage();
    await eventually(() => conversation.messages.some((m) => m.author.type === 'user' && m.content.type === 'image'), 'the file in Sunshine');
    expect(conversation.messages.some((m) => m.author.type === 'user' && m.content.text === 'where is my order?')).toBe(true);
    expect(sunshine.attachments.size).toBe(1);

    // The agent writes as business from the Agent Workspace: the user gets it once, even when Sunshine redelivers.
    expect((await sunshine.agentSays(conversation.id, 'Zoe from Zendesk: checking your order.')).status).toBe(200);
    expect((await sunshine.redeliverLast()).status).toBe(200);
    await eventually(async () => (await user.received()).includes('Zoe from Zendesk: checking your order.'), 'the agent message');
    await desk.drainOutbox();
    const now = await user.received();
    expect(now.filter((t) => t === 'Zoe from Zendesk: checking your order.')).toHaveLength(1);
    expect(await botAnswers()).toBe(answered);

    // Zendesk closes the ticket: control is released and the bot answers again.
    expect((await sunshine.release(conversation.id)).status).toBe(200);
    expect((await desk.services.conversations.findByIdentity(user.channel, user.externalId))?.mode).toBe('bot');
    const before = (await user.received()).length;
    await user.say('hello');
    await eventually(async () => (await user.received()).length > before && (await user.received()).at(-1)?.startsWith('Hello!'), 'the bot again');
  });
});

describe('Zendesk messaging for a conversation that came through Sunshine', () => {
  it('passes control of that conversation with first_message_id, stays silent, and the release brings the bot back', async () => {
    const conversationId = 'f52b01137aa6c250bc7251fa';
    sunshine.seedConversation(conversationId);
    sunshine.webhook = { url: `${desk.url}/channels/smooch/webhook`, secret: SMOOCH_WEBHOOK_SECRET };
    const base = loadFixture<Json>('smooch-message-telegram.json').body;
    const say = async (id: string, text: string) => {
      const body = structuredClone(base);
      body.events[0].payload.message.id = id;
      body.events[0].payload.message.content.text = text;
      expect((await desk.webhook('/channels/smooch/webhook', JSON.stringify(body), smoochSecret())).status).toBe(200);
    };
    const botSends = () => sunshine.received((r) => r.method === 'POST' && r.path.endsWith(`/conversations/${conversationId}/messages`)).length;

    await say('5f74c7d84a146f3abd72af1d', 'hello');
    await eventually(() => botSends() === 1, 'the bot answer through Sunshine');
    await say('5f74c7d84a146f3abd72af2e', 'I want to talk to a person');
    const pass = await eventually(() => sunshine.conversations.get(conversationId)?.passControl[0], 'passControl');
    expect(pass.metadata).toMatchObject({ first_message_id: '5f74c7d84a146f3abd72af1d', 'dataCapture.systemField.priority': 'high', 'dataCapture.systemField.requester.name': 'Steve Rogers' });
    // Desk created nothing of its own in Sunshine: no user, no conversation.
    expect(sunshine.users.size).toBe(0);
    expect(sunshine.conversations.size).toBe(1);

    await desk.drainOutbox();
    const sent = botSends();
    await say('5f74c7d84a146f3abd72af3f', 'hello?');
    await desk.drainOutbox();
    expect(botSends()).toBe(sent);
    expect((await desk.messagesOf('smooch', conversationId)).at(-1)).toMatchObject({ authorKind: 'user', text: 'hello?' });

    expect((await sunshine.release(conversationId)).status).toBe(200);
    expect((await desk.services.conversations.findByIdentity('smooch', conversationId))?.mode).toBe('bot');
    await say('5f74c7d84a146f3abd72af4a', 'hello');
    await eventually(() => botSends() === sent + 1, 'the bot answering again');
  });

  it('refuses a messaging webhook without the secret and stores nothing', async () => {
    const before = await desk.count('SELECT COUNT(*) FROM messages');
    const res = await desk.webhook('/integrations/zendesk-messaging/webhook', JSON.stringify(loadFixture('smooch-message-telegram.json').body), { 'x-api-key': 'wrong' });
    expect(res.status).toBe(401);
    expect(await desk.count('SELECT COUNT(*) FROM messages')).toBe(before);
  });
});
