import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChannelDesk,
  channelEnv,
  eventually,
  INSTAGRAM_TOKEN,
  PAGE_TOKEN,
  signMeta,
  startChannelDesk,
  WHATSAPP_PHONE_NUMBER_ID,
  WHATSAPP_TOKEN,
} from '../support/channel-desk.ts';
import { type Json, loadFixture } from '../support/channel-fixtures.ts';
import { type Recorded, type StandIn, startGraphStandIn } from '../support/platform-stand-ins.ts';

// Messenger and Instagram webhooks carry no name: a new contact gets it from the Graph API after the
// webhook is acknowledged, unless the lookup fails or someone renamed the contact meanwhile.

const PSID = '<PSID>';
const IGSID = 'IGSID';
let graph: StandIn;
let desk: ChannelDesk;

beforeAll(async () => {
  graph = await startGraphStandIn(
    { phoneNumberId: WHATSAPP_PHONE_NUMBER_ID, whatsapp: WHATSAPP_TOKEN, page: PAGE_TOKEN, instagram: INSTAGRAM_TOKEN },
    {},
    {
      [PSID]: { channel: 'messenger', first_name: 'Peter', last_name: 'Chang' },
      '1254477777772919': { channel: 'messenger', first_name: 'Maria', last_name: 'Souza' },
      [IGSID]: { channel: 'instagram', name: 'Ines Duarte', username: 'ines.duarte' },
      '6789012345': { channel: 'instagram', username: 'no_name_here' },
    },
  );
});
afterAll(async () => {
  await graph.close();
});
afterEach(async () => {
  await desk?.services.channels.profiles.idle();
  await desk?.close({ remove: true });
  graph.clear();
});

const messengerFixture = () => loadFixture<Json>('messenger-text.json').body;
const instagramFixture = () => loadFixture<Json>('instagram-text.json').body;

function from(body: Json, sender: string, mid: string): Json {
  const copy = structuredClone(body);
  copy.entry[0].messaging[0].sender.id = sender;
  copy.entry[0].messaging[0].message.mid = mid;
  return copy;
}

async function post(body: Json): Promise<void> {
  const raw = JSON.stringify(body);
  const res = await desk.webhook('/channels/meta/webhook', raw, signMeta(raw));
  expect(res.status).toBe(200);
}

const profileCalls = (id: string) => graph.received((r: Recorded) => r.method === 'GET' && r.path === `/${id}` && r.query.has('fields'));
const nameOf = async (channel: 'messenger' | 'instagram', id: string) => (await desk.services.contacts.findByIdentity(channel, id))?.name;

describe('names of new Messenger and Instagram contacts', () => {
  it('a Messenger first message gets the user real name from the page profile', async () => {
    desk = await startChannelDesk({ env: channelEnv({ graph }) });
    await post(messengerFixture());
    await desk.services.channels.profiles.idle();
    expect(await nameOf('messenger', PSID)).toBe('Peter Chang');
    const [call] = profileCalls(PSID);
    expect(call?.query.get('fields')).toBe('first_name,last_name');
    expect(call?.headers.authorization).toBe(`Bearer ${PAGE_TOKEN}`);
    // The rename went through the contacts repository: the change log carries it for sync.
    const contact = await desk.services.contacts.findByIdentity('messenger', PSID);
    expect(await desk.count("SELECT COUNT(*) FROM change_log WHERE entity = 'contact' AND entity_id = ? AND data LIKE '%Peter Chang%'", contact?.id)).toBe(1);

    // A second message is no first message: no second lookup.
    await post(from(messengerFixture(), PSID, 'mid.second'));
    await desk.services.channels.profiles.idle();
    expect(profileCalls(PSID)).toHaveLength(1);
  });

  it('an Instagram first message gets the name, else the @username', async () => {
    desk = await startChannelDesk({ env: channelEnv({ graph }) });
    await post(instagramFixture());
    await post(from(instagramFixture(), '6789012345', 'MESSAGE-ID-2'));
    await desk.services.channels.profiles.idle();
    expect(await nameOf('instagram', IGSID)).toBe('Ines Duarte');
    expect(await nameOf('instagram', '6789012345')).toBe('@no_name_here');
    const [call] = profileCalls(IGSID);
    expect(call?.query.get('fields')).toBe('name,username');
    expect(call?.headers.authorization).toBe(`Bearer ${INSTAGRAM_TOKEN}`);
  });

  it('a Graph error leaves the default name, and the message is still stored and answered', async () => {
    desk = await startChannelDesk({ env: channelEnv({ graph }) });
    const sender = '1254477777772919';
    graph.failNext((r) => r.method === 'GET' && r.path === `/${sender}`, {
      status: 403,
      json: { error: { message: '(#230) Requires pages_messaging permission to manage the object', type: 'OAuthException', code: 230 } },
    });
    await post(from(messengerFixture(), sender, 'mid.graph-error'));
    // An id the Graph API doesn't know (400) fails the same way.
    await post(from(messengerFixture(), '999000111', 'mid.unknown-user'));
    await desk.services.channels.profiles.idle();
    expect(profileCalls(sender)).toHaveLength(1);
    expect(profileCalls('999000111')).toHaveLength(1);
    expect(await nameOf('messenger', sender)).toBe('Messenger user 125447');
    expect(await nameOf('messenger', '999000111')).toBe('Messenger user 999000');

    const messages = await desk.messagesOf('messenger', sender);
    expect(messages[0]).toMatchObject({ authorKind: 'user', channelMessageId: 'mid.graph-error' });
    const bot = messages.find((m) => m.authorKind === 'bot');
    expect(bot).toBeDefined();
    await desk.drainOutbox();
    await eventually(() => graph.received((r) => r.method === 'POST' && r.path === '/<PAGE_ID>/messages' && r.json?.recipient?.id === sender).length === 1, 'the bot answer');
  });

  it('a network failure is logged and leaves the default name', async () => {
    desk = await startChannelDesk({ env: channelEnv({ graph }) });
    graph.failNext((r) => r.method === 'GET' && r.path === `/${PSID}`, 'hang');
    // The stand-in never answers: the lookup times out (CHANNEL_REQUEST_TIMEOUT_MS), like a dead network.
    const res = await (async () => {
      const raw = JSON.stringify(messengerFixture());
      const started = Date.now();
      const answer = await desk.webhook('/channels/meta/webhook', raw, signMeta(raw));
      return { status: answer.status, ms: Date.now() - started };
    })();
    // The acknowledgement did not wait for the lookup.
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(2000);
    expect(await nameOf('messenger', PSID)).toBe('Messenger user PSID');
    await desk.services.channels.profiles.idle();
    expect(await nameOf('messenger', PSID)).toBe('Messenger user PSID');
  }, 10_000);

  it('does not overwrite a contact renamed before the profile came back', async () => {
    desk = await startChannelDesk({ env: channelEnv({ graph }) });
    // Graph answers the profile slowly; an admin renames the contact meanwhile.
    graph.failNext((r) => r.method === 'GET' && r.path === `/${PSID}`, {
      status: 200,
      json: { first_name: 'Peter', last_name: 'Chang', id: PSID },
      delayMs: 400,
    });
    await post(messengerFixture());
    await eventually(() => profileCalls(PSID).length === 1, 'the profile lookup');
    const contact = await desk.services.contacts.findByIdentity('messenger', PSID);
    expect(contact?.name).toBe('Messenger user PSID');
    const res = await desk.request(`/api/contacts/${contact?.id}`, { method: 'PATCH', token: desk.admin.token, json: { name: 'Pete (VIP)' } });
    expect(res.status).toBe(200);
    await desk.services.channels.profiles.idle();
    expect(profileCalls(PSID)).toHaveLength(1);
    expect(await nameOf('messenger', PSID)).toBe('Pete (VIP)');
  });
});
