import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebchatMessage } from '@desk/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { PostgresFanout } from '../../src/fanout/postgres-fanout.ts';
import { openTestServices, requestFor, signedInMember } from '../support/desk-fixture.ts';
import { type SseEvent, SseReader } from '../support/sse-reader.ts';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/test-database.ts';

/**
 * Two Desk instances whose streams are poked through PostgreSQL LISTEN/NOTIFY. Until the query
 * layer runs on PostgreSQL they share one SQLite file; what is under test is the fan-out: without
 * it, neither instance's streams would hear of the other's commits.
 */
let database: TestDatabase;
beforeAll(async () => {
  if (postgresUrl()) database = await createTestDatabase('two instances');
});
afterAll(() => database?.drop());

type Instance = Awaited<ReturnType<typeof startInstance>>;
let dataDir: string;
let one: Instance;
let two: Instance;
const readers: SseReader[] = [];

async function startInstance() {
  const fanout = new PostgresFanout({ connectionString: database.url, retryFirstMs: 20, retryMaxMs: 200 });
  await fanout.start();
  const opened = await openTestServices({ dataDir, fanout });
  const app = createApp(opened.services);
  return { ...opened, fanout, app, request: requestFor(app, undefined, opened.services) };
}

const cursorOf = (event: SseEvent) => (JSON.parse(event.data) as { cursor: number }).cursor;
/** The first poke past `cursor` (a stream opened without a cursor is poked with the current one first). */
const pokePast = (stream: SseReader, cursor: number) => stream.next((event) => event.event === 'poke' && cursorOf(event) > cursor);

function read(res: Response): SseReader {
  expect(res.status).toBe(200);
  const reader = new SseReader(res.body as ReadableStream<Uint8Array>);
  readers.push(reader);
  return reader;
}

beforeEach(async () => {
  if (!postgresUrl()) return;
  dataDir = mkdtempSync(join(tmpdir(), 'desk-two-instances-'));
  one = await startInstance();
  two = await startInstance();
});
afterEach(async () => {
  if (!postgresUrl()) return;
  await database.allowConnections(true);
  for (const reader of readers.splice(0)) await reader.cancel();
  for (const instance of [one, two]) {
    await instance.fanout.close();
    instance.db.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!postgresUrl())('two instances, poked through PostgreSQL', () => {
  it("an agent's sync stream on one instance is poked by a change committed on the other", async () => {
    const carla = await signedInMember(one.services, 'Carla Admin', 'carla@test.local', 'admin');
    const ana = await signedInMember(one.services, 'Ana Agent', 'ana@test.local', 'agent');
    const stream = read(await two.request('/api/sync/stream', { token: ana.token }));
    const hello = cursorOf(await stream.nextOf('hello'));

    const created = await one.request('/api/contacts', { method: 'POST', token: carla.token, json: { name: 'Zoe Twoinstances' } });
    expect(created.status).toBe(201);
    const poke = await pokePast(stream, hello);
    expect(cursorOf(poke)).toBe(await one.services.changes.latestSeq());
    expect(poke.data).toContain('Zoe Twoinstances');
  });

  it("a web chat visitor's stream on one instance gets the messages stored by the other", async () => {
    const first = await one.request('/channels/webchat/messages', { method: 'POST', token: null, json: { text: 'hello' } });
    expect(first.status).toBe(201);
    const { visitorId, visitorToken } = (await first.json()) as { visitorId: string; visitorToken: string };
    const stream = read(await one.request(`/channels/webchat/stream?visitorToken=${encodeURIComponent(visitorToken)}`, { token: null }));
    await stream.comment('connected');

    // The visitor's next message was load-balanced to the other instance, which stores it and the bot's answer.
    await two.services.engine.handleInbound({ channel: 'webchat', externalId: visitorId, text: 'from the other instance', profile: { name: null } });
    const mine = JSON.parse((await stream.nextOf('message')).data) as WebchatMessage;
    const answer = JSON.parse((await stream.nextOf('message')).data) as WebchatMessage;
    expect([mine.authorKind, mine.text]).toEqual(['user', 'from the other instance']);
    expect(answer.authorKind).toBe('bot');
    // What the visitor had before the stream opened is not sent again.
    expect(stream.events.filter((event) => event.event === 'message').map((event) => (JSON.parse(event.data) as WebchatMessage).text)).not.toContain('hello');
  });

  it('an agent on one instance sees who has a ticket open, and who is typing, through the other', async () => {
    const ana = await signedInMember(one.services, 'Ana Agent', 'ana@test.local', 'agent');
    const bruno = await signedInMember(one.services, 'Bruno Agent', 'bruno@test.local', 'agent');
    const stream = read(await one.request('/api/sync/stream', { token: ana.token }));
    const entriesOf = (event: SseEvent) => (JSON.parse(event.data) as { entries: { name: string; ticketId: string; typing: boolean }[] }).entries;
    expect(entriesOf(await stream.nextOf('presence'))).toEqual([]);

    const beat = (json: { ticketId: string | null; typing: boolean }) => two.request('/api/presence', { method: 'POST', token: bruno.token, json });
    expect((await beat({ ticketId: 'ticket-42', typing: true })).status).toBe(204);
    const typing = await stream.next((event) => event.event === 'presence' && entriesOf(event).length > 0);
    expect(entriesOf(typing)).toEqual([{ agentId: bruno.id, name: 'Bruno Agent', ticketId: 'ticket-42', typing: true }]);

    expect((await beat({ ticketId: null, typing: false })).status).toBe(204);
    await stream.next((event) => event.event === 'presence' && entriesOf(event).length === 0);
  });

  it('after its bus connection is killed, an instance reconnects and its streams catch up on what they missed', async () => {
    const carla = await signedInMember(one.services, 'Carla Admin', 'carla@test.local', 'admin');
    const ana = await signedInMember(one.services, 'Ana Agent', 'ana@test.local', 'agent');
    const stream = read(await one.request('/api/sync/stream', { token: ana.token }));
    const hello = cursorOf(await stream.nextOf('hello'));

    await database.allowConnections(false);
    const lost = new Promise<void>((resolve) => one.fanout.onState((state) => state === 'connecting' && resolve()));
    expect(await database.terminate(one.fanout.applicationName)).toBe(1);
    await lost;

    // Committed on instance two while instance one cannot hear it.
    expect((await two.request('/api/contacts', { method: 'POST', token: carla.token, json: { name: 'Missed Meanwhile' } })).status).toBe(201);
    const missed = await two.services.changes.latestSeq();
    expect(missed).toBeGreaterThan(hello);
    expect(stream.events.filter((event) => event.event === 'poke' && cursorOf(event) > hello)).toEqual([]);

    await database.allowConnections(true);
    expect(cursorOf(await pokePast(stream, hello))).toBe(missed);
  });
});
