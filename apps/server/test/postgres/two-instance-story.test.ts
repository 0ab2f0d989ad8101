import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildForTest, type TestBuild } from '../support/built-server.ts';
import { loadFixture } from '../support/channel-fixtures.ts';
import { type Recorded, type StandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';
import { killServerProcess, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { SseReader } from '../support/sse-reader.ts';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/test-database.ts';

/**
 * Two Desk processes behind one address, sharing one PostgreSQL database: agent A syncs through
 * instance 1 and agent B through instance 2; a web chat visitor is on instance 1 and Telegram's
 * webhooks arrive on instance 2. Then an instance dies (SIGKILL, its whole process group) in the
 * middle of a webhook burst and the other one finishes its work once its leases run out.
 */
const TOKEN = '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const SECRET = 'two-instances-telegram-secret';
const PASSWORD = 'two-instances-admin';
/**
 * A platform call gives up after this long. Short enough for the test, long enough for a busy machine:
 * a call Desk gives up on that Telegram did take is sent again (Telegram has no idempotency key).
 */
const REQUEST_TIMEOUT_MS = 5_000;
/** Short leases, so a dead instance's jobs are taken over within the test; they outlast a platform call. */
const LEASE_MS = REQUEST_TIMEOUT_MS + 2_000;

interface Instance {
  name: string;
  process: ServerProcess;
  /** Each instance reaches Telegram through its own stand-in: what a dead instance had in flight is known. */
  telegram: StandIn;
  dataDir: string;
}

let database: TestDatabase;
/** The production build: node starts it in a second or two, where tsx takes several on a busy machine. */
let build: TestBuild;
let mediaDir: string;
let one: Instance;
let two: Instance;
let sql: pg.Client;
const readers: SseReader[] = [];

async function startInstance(name: string, telegramMessageIds: number): Promise<Instance> {
  // One Telegram seen through two doors: the message ids it gives out stay unique across both.
  const telegram = await startTelegramStandIn(TOKEN, {}, { firstMessageId: telegramMessageIds });
  // Each instance's DATA_DIR does not exist yet, as on a fresh machine: the server makes it.
  const dataDir = join(mkdtempSync(join(tmpdir(), `desk-${name}-`)), 'data');
  const process = await startServerProcess({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    MEDIA_DIR: mediaDir,
    DEMO: '1',
    ADMIN_EMAIL: 'admin@desk.local',
    ADMIN_PASSWORD: PASSWORD,
    JOB_LEASE_MS: String(LEASE_MS),
    TELEGRAM_API_URL: telegram.url,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    CHANNEL_RETRY_BASE_MS: '50',
    CHANNEL_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  }, { built: build.main });
  return { name, process, telegram, dataDir };
}

beforeAll(async () => {
  if (!postgresUrl()) return;
  database = await createTestDatabase('two instance story');
  build = await buildForTest();
  mediaDir = mkdtempSync(join(tmpdir(), 'desk-shared-media-'));
  // The first instance migrates the database and seeds the demo workspace; the second finds both done.
  one = await startInstance('instance-1', 10_000);
  two = await startInstance('instance-2', 20_000_000);
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
}, 120_000);

afterAll(async () => {
  if (!postgresUrl()) return;
  for (const reader of readers.splice(0)) await reader.cancel();
  await sql?.end();
  for (const instance of [one, two]) {
    if (!instance) continue;
    await killServerProcess(instance.process.child);
    await instance.telegram.close();
    rmSync(dirname(instance.dataDir), { recursive: true, force: true });
  }
  if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
  build?.remove();
  await database?.drop();
}, 60_000);

// ---------- the people in the story ----------

/** A live event the story waits for, bounded, so a missing one fails with what was expected and what came. */
function arrives<T>(promise: Promise<T>, what: string, seen: () => unknown, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing came within ${ms} ms; the stream had ${JSON.stringify(seen()).slice(-3000)}`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

interface Json {
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely
  [key: string]: any;
}

async function call(instance: Instance, path: string, init: { method?: string; token?: string; json?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${instance.process.url}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.token && { authorization: `Bearer ${init.token}` }),
      ...(init.json !== undefined && { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}

/** An agent signed in on one instance, syncing through it (push, pull and the live stream). */
async function agentOn(instance: Instance, email: string) {
  const login = await call(instance, '/api/auth/login', { json: { email, password: PASSWORD } });
  expect(login.status).toBe(200);
  const token = login.body.token as string;
  const clientId = `client-${randomUUID()}`;
  let nextMutation = 1;
  // Connected at the agent's cursor (as the PWA does), every poke carries just what changed since.
  const bootstrap = await call(instance, '/api/sync/pull?cursor=0&limit=5000', { token });
  expect(bootstrap.body.hasMore).toBe(false);
  const opened = await fetch(`${instance.process.url}/api/sync/stream?cursor=${bootstrap.body.cursor}`, { headers: { authorization: `Bearer ${token}` } });
  expect(opened.status).toBe(200);
  const stream = new SseReader(opened.body as ReadableStream<Uint8Array>);
  readers.push(stream);
  await stream.nextOf('hello');
  return {
    id: login.body.user.id as string,
    token,
    /** Waits for a poke on this agent's stream whose data mentions every one of `texts` (a change committed on any instance). */
    poked: (...texts: string[]) =>
      arrives(
        stream.next((event) => event.event === 'poke' && texts.every((text) => event.data.includes(text))),
        `${email} poked with ${texts.join(', ')}`,
        () => stream.events,
      ),
    async push(name: string, args: Record<string, unknown>) {
      const res = await call(instance, '/api/sync/push', { token, json: { clientId, mutations: [{ id: nextMutation++, name, args }] } });
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual([expect.objectContaining({ status: 'applied' })]);
    },
    /** Everything this agent may see, pulled through its own instance. */
    async pull(): Promise<{ entity: string; id: string; data: Json | null }[]> {
      const res = await call(instance, '/api/sync/pull?cursor=0&limit=5000', { token });
      expect(res.status).toBe(200);
      return res.body.changes;
    },
  };
}
type Agent = Awaited<ReturnType<typeof agentOn>>;

async function ticketOf(agent: Agent, channel: string, externalId: string): Promise<Json> {
  let ticket: Json | undefined;
  await expect
    .poll(async () => {
      const changes = await agent.pull();
      const contact = changes.find((c) => c.entity === 'contact' && c.data?.identities.some((i: Json) => i.channel === channel && i.externalId === externalId));
      ticket = changes.filter((c) => c.entity === 'ticket' && contact && c.data?.contactId === contact.id).map((c) => c.data as Json)[0];
      return ticket !== undefined;
    }, { timeout: 15_000 })
    .toBe(true);
  return ticket as Json;
}

/** A web chat visitor on one instance: posts messages and reads its live stream there. */
async function visitorOn(instance: Instance, firstText: string) {
  const first = await call(instance, '/channels/webchat/messages', { json: { text: firstText } });
  expect(first.status).toBe(201);
  const { visitorId, visitorToken } = first.body as { visitorId: string; visitorToken: string };
  const opened = await fetch(`${instance.process.url}/channels/webchat/stream?visitorToken=${encodeURIComponent(visitorToken)}`);
  expect(opened.status).toBe(200);
  const stream = new SseReader(opened.body as ReadableStream<Uint8Array>);
  readers.push(stream);
  await stream.comment('connected');
  const messages = async () => ((await call(instance, '/channels/webchat/messages', { headers: { 'x-visitor-token': visitorToken } })).body.messages as Json[]);
  return {
    visitorId,
    async say(text: string) {
      expect((await call(instance, '/channels/webchat/messages', { json: { text }, headers: { 'x-visitor-token': visitorToken } })).status).toBe(201);
    },
    /** The next message from `author` that reaches the visitor's live stream. */
    async live(author: string): Promise<Json> {
      const event = await arrives(
        stream.next((e) => e.event === 'message' && (JSON.parse(e.data) as Json).authorKind === author),
        `the visitor's stream: a message from ${author}`,
        () => stream.events,
      );
      return JSON.parse(event.data) as Json;
    },
    /** Waits until the visitor's conversation ends with a message of `author` matching `text`. */
    lastFrom: (author: string, text: RegExp) =>
      expect.poll(async () => (await messages()).filter((m) => m.authorKind === author).at(-1)?.text ?? '', { timeout: 15_000 }).toMatch(text),
  };
}

const telegramBase = loadFixture<Json>('telegram-text-modern.json').body;
let updateId = 880_000;

/** A Telegram update in the Bot API's own format, as Telegram posts it to the webhook. */
function telegramUpdate(chatId: number, text: string): Json {
  updateId += 1;
  const { message } = telegramBase;
  return { update_id: updateId, message: { ...message, message_id: updateId, from: { ...message.from, id: chatId }, chat: { ...message.chat, id: chatId }, text } };
}

function deliver(instance: Instance, update: Json): Promise<Response> {
  return fetch(`${instance.process.url}/channels/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
}

/** What Desk sent this Telegram chat, through either instance. */
function sentTo(chatId: number): Recorded[] {
  return [one, two]
    .flatMap((instance) => instance.telegram.received((r) => r.path === `/bot${TOKEN}/sendMessage` && r.json?.chat_id === chatId))
    .sort((a, b) => a.receivedAt - b.receivedAt);
}

function telegramUserOn(instance: Instance, chatId: number) {
  return {
    async say(text: string) {
      expect((await deliver(instance, telegramUpdate(chatId, text))).status).toBe(200);
    },
    /** Waits until Desk has sent this chat `n` texts, the last of them matching. */
    received: (n: number, text: RegExp | string) =>
      expect
        .poll(() => sentTo(chatId).map((r) => r.json.text as string), { timeout: 15_000 })
        .toSatisfy((texts: string[]) => texts.length === n && (typeof text === 'string' ? texts[n - 1] === text : text.test(texts[n - 1] ?? ''))),
    count: () => sentTo(chatId).length,
  };
}

describe.skipIf(!postgresUrl() || process.env.DESK_TEST_DB !== 'postgres')('two instances on one PostgreSQL', () => {
  it('run the whole story with agents, the web chat and Telegram split across them, each seeing the other live', async () => {
    const ana = await agentOn(one, 'ana@desk.local');
    const bruno = await agentOn(two, 'bruno@desk.local');

    // The web chat visitor talks to instance 1: the bot answers, then hands off to the Desk.
    const visitor = await visitorOn(one, 'Hi, good evening!');
    await visitor.lastFrom('bot', /virtual assistant/);
    await visitor.say('Could I please chat with a real human being?');
    await visitor.lastFrom('bot', /bringing in an agent/);
    // Bruno, syncing through instance 2, is poked with the ticket instance 1 opened, and takes it.
    const webTicket = await ticketOf(bruno, 'webchat', visitor.visitorId);
    expect(webTicket).toMatchObject({ status: 'new', channel: 'webchat', assigneeId: null });
    const anaSeesTheReply = ana.poked('Bruno here, looking into it');
    await bruno.push('ticket.assign', { ticketId: webTicket.id, agentId: bruno.id });
    await bruno.push('ticket.reply', { ticketId: webTicket.id, messageId: randomUUID(), text: 'Bruno here, looking into it' });
    // His reply (instance 2) reaches the visitor's stream (instance 1) and Ana's stream (instance 1) live.
    expect((await visitor.live('agent')).text).toBe('Bruno here, looking into it');
    await anaSeesTheReply;
    const brunoSeesTheFollowUp = bruno.poked('My internet has been down since yesterday');
    await visitor.say('My internet has been down since yesterday');
    await brunoSeesTheFollowUp;

    // A Telegram user writes; Telegram's webhook reaches instance 2.
    const telegramUser = telegramUserOn(two, 4711);
    await telegramUser.say('Hi, good evening!');
    await telegramUser.received(1, /virtual assistant/);
    const anaSeesTheTelegramTicket = ana.poked('Could I please chat with a real human being?');
    await telegramUser.say('Could I please chat with a real human being?');
    await telegramUser.received(2, /bringing in an agent/);
    await anaSeesTheTelegramTicket;
    // Ana, on instance 1, answers it; Telegram gets her reply; Bruno sees it on instance 2.
    const telegramTicket = await ticketOf(ana, 'telegram', '4711');
    expect(telegramTicket).toMatchObject({ status: 'new', channel: 'telegram' });
    const brunoSeesAnasReply = bruno.poked('Ana here: which router do you have?');
    await ana.push('ticket.reply', { ticketId: telegramTicket.id, messageId: randomUUID(), text: 'Ana here: which router do you have?' });
    await telegramUser.received(3, 'Ana here: which router do you have?');
    await brunoSeesAnasReply;
    const anaSeesTheAnswer = ana.poked('The grey one from 2023');
    await telegramUser.say('The grey one from 2023');
    await anaSeesTheAnswer;
    // While the ticket is open the bot stays silent.
    expect(telegramUser.count()).toBe(3);

    // Solved on either side, each user is back with the bot where they started.
    const anaSeesItSolved = ana.poked(webTicket.id, '"status":"solved"');
    await bruno.push('ticket.setStatus', { ticketId: webTicket.id, status: 'solved' });
    await anaSeesItSolved;
    await visitor.say('When do you open on Saturdays?');
    await visitor.lastFrom('bot', /Saturdays 9am/);
    await ana.push('ticket.setStatus', { ticketId: telegramTicket.id, status: 'solved' });
    await telegramUser.say('When do you open on Saturdays?');
    await telegramUser.received(4, /Saturdays 9am/);

    // Every message was stored once, whichever instance took it.
    const stored = await sql.query(
      `SELECT m.author_kind, m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.channel = 'telegram' AND c.external_id = '4711' ORDER BY m.rowid`,
    );
    const texts = stored.rows.filter((row) => row.author_kind !== 'system').map((row) => `${row.author_kind}: ${row.text}`);
    expect(texts.filter((t) => t.startsWith('user: '))).toEqual([
      'user: Hi, good evening!',
      'user: Could I please chat with a real human being?',
      'user: The grey one from 2023',
      'user: When do you open on Saturdays?',
    ]);
    expect(texts.filter((t) => t.startsWith('agent: '))).toEqual(['agent: Ana here: which router do you have?']);
  }, 120_000);

  it('lose one instance to SIGKILL in a webhook burst: the other finishes its work, nothing lost or stored twice', async () => {
    // A slow Telegram: a reply being sent stays in flight for a while.
    for (const instance of [one, two]) instance.telegram.replyDelayMs = 400;
    // The burst: a new chat greets the bot with each update, until a little after the kill.
    const chats: number[] = [];
    const acknowledged = new Set<number>();
    const refused: { chatId: number; update: Json }[] = [];
    let victim: Instance | null = null;
    let killedAt = 0;
    let afterKill = 0;
    const nextUpdate = () => {
      if (chats.length >= 300 || afterKill >= 20) return null;
      if (victim) afterKill += 1;
      const chatId = 7_000 + chats.length;
      chats.push(chatId);
      return { chatId, update: telegramUpdate(chatId, 'Hi, good evening!') };
    };
    // The first reply of the burst on its way to Telegram: the instance sending it dies then and there
    // (its whole process group, SIGKILL), with that reply in flight and the burst still coming.
    const start = [one, two].map((i) => i.telegram.requests.length);
    const burstSends = (instance: Instance) => instance.telegram.requests.slice(start[instance === one ? 0 : 1]).filter((r) => r.path.endsWith('/sendMessage'));
    let resolveKill: () => void = () => {};
    const killed = new Promise<void>((resolve) => {
      resolveKill = resolve;
    });
    const stopListening = [one, two].map((instance) =>
      instance.telegram.onRequest((req) => {
        if (victim || !req.path.endsWith('/sendMessage') || Number(req.json?.chat_id) < 7_000) return;
        victim = instance;
        killedAt = Date.now();
        void killServerProcess(instance.process.child).then(resolveKill);
      }),
    );
    // A load balancer sends the burst to both instances in turn, a few at a time; it does not know
    // an instance died, so what it sends there fails until Telegram retries.
    let sentSoFar = 0;
    const sender = async () => {
      for (let item = nextUpdate(); item; item = nextUpdate()) {
        const instance = sentSoFar++ % 2 === 0 ? one : two;
        try {
          const res = await deliver(instance, item.update);
          if (res.status === 200) acknowledged.add(item.chatId);
          else refused.push(item);
        } catch {
          // The connection died with the instance: Telegram retries what it has no answer for.
          refused.push(item);
        }
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    for (const stop of stopListening) stop();
    await arrives(killed, 'an instance killed mid-burst', () => ({ acknowledged: acknowledged.size, chats: chats.length }));
    const dead = victim as unknown as Instance;
    const survivor = dead === one ? two : one;
    expect(refused.length + acknowledged.size).toBe(chats.length);
    // The kill really came mid-burst, with work of the dead instance unfinished.
    expect(refused.length).toBeGreaterThan(0);

    // What the dead instance had sent to Telegram without seeing the answer is all that may go out twice.
    const inFlightAtKill = burstSends(dead).filter((r) => r.answeredAt === undefined || r.answeredAt > killedAt).length;
    expect(inFlightAtKill).toBeGreaterThan(0);

    // Telegram redelivers what was not acknowledged, now to the instance still up.
    for (const { update } of refused) expect((await deliver(survivor, update)).status).toBe(200);

    // Once the dead instance's leases run out, the survivor stores and answers everything: every
    // queued reply ends sent, and every chat has its answer.
    const unsent = async () => (await sql.query(`SELECT COUNT(*)::int AS n FROM outbox WHERE channel = 'telegram' AND state <> 'sent'`)).rows[0].n;
    const unanswered = () => chats.filter((chatId) => sentTo(chatId).length === 0);
    await expect.poll(async () => ({ unanswered: unanswered(), unsent: await unsent() }), { timeout: 60_000, interval: 250 }).toEqual({ unanswered: [], unsent: 0 });
    const everySend = chats.flatMap((chatId) => sentTo(chatId));
    for (const send of everySend) expect(send.json.text).toMatch(/virtual assistant/);
    const sentTwice = everySend.length - chats.length;
    expect(sentTwice).toBeLessThanOrEqual(inFlightAtKill);

    // Each update was stored once and answered once in the database, whichever instance took it.
    const stored = await sql.query(
      `SELECT c.external_id, m.author_kind, COUNT(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.channel = 'telegram' AND c.external_id = ANY($1) GROUP BY c.external_id, m.author_kind`,
      [chats.map(String)],
    );
    expect(stored.rows.filter((row) => row.author_kind === 'user').map((row) => [row.external_id, row.n]).sort()).toEqual(chats.map((c) => [String(c), 1]).sort());
    expect(stored.rows.filter((row) => row.author_kind === 'bot').map((row) => [row.external_id, row.n]).sort()).toEqual(chats.map((c) => [String(c), 1]).sort());
    console.info(
      `[two instances] killed ${dead.name} after ${acknowledged.size} acknowledgements; ${refused.length} redelivered; ` +
        `${inFlightAtKill} sends in flight at the kill; ${sentTwice} sent twice`,
    );
  }, 120_000);
});
