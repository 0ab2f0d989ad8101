import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChannelDesk, eventually, TELEGRAM_TOKEN } from '../support/channel-desk.ts';
import { SAMPLE_BYTES, type StandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';
import { FakeZendesk } from '../support/zendesk/fake-zendesk.ts';
import {
  type ChatUser,
  connectSupport,
  routeTalkToAPerson,
  startZendeskDesk,
  TELEGRAM_PHOTO_FILE_ID,
  telegramUser,
  webchatUser,
} from '../support/zendesk/zendesk-desk.ts';

let zendesk: FakeZendesk;
let telegram: StandIn;
let desk: ChannelDesk;

beforeAll(async () => {
  telegram = await startTelegramStandIn(TELEGRAM_TOKEN, { [TELEGRAM_PHOTO_FILE_ID]: { path: 'photos/file_1.jpg', bytes: SAMPLE_BYTES.jpeg, contentType: 'image/jpeg' } });
});
afterAll(() => telegram.close());
beforeEach(async () => {
  zendesk = await FakeZendesk.start();
  desk = await startZendeskDesk({ zendesk, standIns: { telegram } });
});
afterEach(async () => {
  await desk.close({ remove: true });
  await zendesk.close();
  telegram.clear();
});

const users: Record<string, () => ChatUser> = {
  'web chat': () => webchatUser(desk, '0d6c7a52-1f7e-4b59-9a43-3b5c2f0e9a11'),
  Telegram: () => telegramUser(desk, telegram, 4242),
};

describe.each(Object.keys(users))('Zendesk Support on %s', (name) => {
  it('hands off with the transcript, relays both ways exactly once, and gives the user back to the bot when solved', async () => {
    const connected = await connectSupport(desk, zendesk);
    expect(connected).toMatchObject({ ok: true, integration: { connected: true, lastError: null } });
    await routeTalkToAPerson(desk, 'zendesk_support', { zendeskGroupId: 360001 });
    const user = (users[name] as () => ChatUser)();

    await user.say('hello');
    await eventually(async () => (await user.received()).some((t) => t.startsWith('Hello!')), 'the bot answer');
    await user.say('I want to talk to a person');
    const ticket = await eventually(() => zendesk.ticketList()[0], 'the Zendesk ticket');

    // The requester is the Desk contact; the ticket carries the intent's status, priority and group, the card's subject and tags.
    const conversation = await desk.services.conversations.findByIdentity(user.channel, user.externalId);
    const [requester] = zendesk.received((r) => r.path === '/api/v2/users/create_or_update');
    expect(requester?.json.user).toMatchObject({ external_id: conversation?.contactId });
    const [create] = zendesk.received((r) => r.method === 'POST' && r.path === '/api/v2/tickets');
    expect(create?.headers.get('idempotency-key')).toBeTruthy();
    expect(ticket.ticket).toMatchObject({ status: 'open', priority: 'high', group_id: 360001, subject: 'Acme Zendesk — Talk to a person', requester_id: requester ? ticket.ticket.requester_id : -1 });
    expect(ticket.ticket.tags).toEqual(expect.arrayContaining(['chatbot', 'vip', 'desk_handoff']));
    // The transcript is the first comment, an internal note, so Zendesk e-mails nobody.
    expect(ticket.comments[0]).toMatchObject({ public: false });
    expect(ticket.comments[0]?.body).toContain('hello');
    expect(ticket.comments[0]?.body).toContain('I want to talk to a person');
    expect(ticket.comments[0]?.body).toContain('Hello! I am the virtual assistant');

    const ticketId = Number(ticket.ticket.id);
    await eventually(async () => (await desk.services.conversations.findByIdentity(user.channel, user.externalId))?.mode === 'zendesk', 'zendesk mode');
    const note = await eventually(async () => (await desk.messagesOf(user.channel, user.externalId)).find((m) => m.authorKind === 'system' && m.text.includes(`https://acme.zendesk.com/agent/tickets/${ticketId}`)), 'the system note with the link');
    expect(note.text).toContain(`#${ticketId}`);
    const handOffsOf = async () =>
      ((await (await desk.request(`/api/contacts/${conversation?.contactId}/zendesk-handoffs`)).json()) as { handoffs: { url: string; state: string }[] }).handoffs;
    expect(await handOffsOf()).toMatchObject([{ url: `https://acme.zendesk.com/agent/tickets/${ticketId}`, state: 'open' }]);

    // Follow-ups go to the ticket as public comments by the requester; the bot stays silent.
    const botAnswers = (await user.received()).length;
    await user.say('my order 1234 is late');
    await eventually(() => ticket.comments.some((c) => c.body.includes('my order 1234 is late')), 'the follow-up comment');
    const followUp = ticket.comments.find((c) => c.body.includes('my order 1234 is late'));
    expect(followUp).toMatchObject({ public: true, author_id: ticket.ticket.requester_id });
    await user.sendImage();
    const withFile = await eventually(() => ticket.comments.find((c) => c.attachments.length > 0), 'the comment with the file');
    expect(withFile.attachments[0]).toMatchObject({ content_type: 'image/jpeg' });
    expect(withFile.author_id).toBe(ticket.ticket.requester_id);
    await desk.drainOutbox();
    expect((await user.received()).length).toBe(botAnswers);

    // An internal note never reaches the user; a public reply does, once, however often Zendesk pokes.
    expect((await zendesk.agentComment(ticketId, 'internal: check the warehouse', { public: false }))?.status).toBe(200);
    expect((await zendesk.agentComment(ticketId, 'Hi, Zoe here. Your order ships today.'))?.status).toBe(200);
    await eventually(async () => (await user.received()).includes('Hi, Zoe here. Your order ships today.'), 'the agent reply');
    expect((await zendesk.deliver(ticketId)).status).toBe(200);
    expect((await zendesk.deliver(ticketId)).status).toBe(200);
    await eventually(async () => await desk.count("SELECT COUNT(*) FROM handoff_jobs WHERE state = 'pending'") === 0, 'the pokes handled');
    await desk.drainOutbox();
    const seen = await user.received();
    expect(seen.filter((t) => t === 'Hi, Zoe here. Your order ships today.')).toHaveLength(1);
    expect(seen.some((t) => t.includes('warehouse'))).toBe(false);

    // Solved in Zendesk: back to the bot, with a note.
    expect((await zendesk.setStatus(ticketId, 'solved'))?.status).toBe(200);
    await eventually(async () => (await desk.services.conversations.findByIdentity(user.channel, user.externalId))?.mode === 'bot', 'bot mode again');
    expect((await desk.messagesOf(user.channel, user.externalId)).some((m) => m.authorKind === 'system' && m.text.includes(`ticket #${ticketId} was solved`))).toBe(true);
    expect(await handOffsOf()).toMatchObject([{ state: 'closed' }]);
    const before = (await user.received()).length;
    await user.say('hello');
    await eventually(async () => (await user.received()).length > before && (await user.received()).at(-1)?.startsWith('Hello!'), 'the bot answering again');
    expect(ticket.comments.some((c) => c.body === 'hello' && c.public)).toBe(false);
  });
});
