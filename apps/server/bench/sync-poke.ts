/**
 * Commit to poke (issue 16, agent to agent): how long after a one-mutation push starts the last of
 * STREAMS open sync streams (one agent each) has its `poke`, over the real app and a real SQLite file,
 * in-process (no network). Baselines in the same run: the push's own answer (its commit), and a
 * bare route (`GET /healthz`). A stream caught up builds its carried page from the batch this
 * instance committed (sync/carried-page.ts) instead of reading the log for each stream.
 *
 *   cd apps/server && ../../node_modules/.bin/tsx bench/sync-poke.ts   [ROUNDS=60 STREAMS=3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamPoke } from '@desk/core';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { createServices } from '../src/services.ts';
import { SseReader } from '../test/support/sse-reader.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 60);
const STREAMS = Number(process.env.STREAMS ?? 3);
const dataDir = mkdtempSync(join(tmpdir(), 'desk-bench-'));
const config = loadConfig({ DATA_DIR: dataDir, WEB_DIST: join(dataDir, 'none') });
const db = openDatabase(config.databaseFile);
const services = await createServices(db, config);
const app = createApp(services);
const tokenOf = async (name: string) => {
  const agent = await services.agents.create({ name, email: `${name}@desk.local`, role: 'agent', passwordHash: null });
  return (await services.sessions.create(agent.id)).token;
};
const actor = await tokenOf('actor');
const watchers = await Promise.all(Array.from({ length: STREAMS }, (_, i) => tokenOf(`watcher${i}`)));
const ticketId = await db.transaction(async () => {
  const contact = await services.contacts.create({ name: 'User' }, { channel: 'webchat', externalId: 'bench-user' });
  const conversation = await services.conversations.create({ contactId: contact.id, channel: 'webchat', externalId: 'bench-user' });
  const ticket = await services.tickets.create({
    subject: 'Ticket', status: 'open', priority: 'normal', tags: [], assigneeId: null, contactId: contact.id,
    channel: 'webchat', conversationId: conversation.id, intentId: null, intentConfidence: null,
  });
  await services.conversations.setMode(conversation.id, 'desk', ticket.id);
  return ticket.id;
});
const request = (path: string, token: string, init: RequestInit = {}) =>
  app.request(path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

const start = await services.changes.latestSeq();
const readers = await Promise.all(watchers.map(async (token) => new SseReader((await request(`/api/sync/stream?cursor=${start}`, token)).body as ReadableStream<Uint8Array>)));
await Promise.all(readers.map((reader) => reader.nextOf('hello')));

const answered: number[] = [];
const poked: number[] = [];
const bare: number[] = [];
let carried = 0;
const priorities = ['low', 'normal', 'high', 'urgent'];
for (let i = 1; i <= ROUNDS + 10; i++) {
  const b0 = performance.now();
  await (await app.request('/healthz')).text();
  const bareMs = performance.now() - b0;
  const t0 = performance.now();
  const pushed = Promise.resolve(
    request('/api/sync/push', actor, {
      method: 'POST',
      body: JSON.stringify({ clientId: 'client-bench-poke', mutations: [{ id: i, name: 'ticket.setPriority', args: { ticketId, priority: priorities[i % 4] } }] }),
    }),
  ).then(async (res: Response) => {
    await res.text();
    return performance.now() - t0;
  });
  const pokes = await Promise.all(
    readers.map(async (reader) => {
      const poke = StreamPoke.parse(JSON.parse((await reader.nextOf('poke')).data));
      return { at: performance.now() - t0, carried: !poke.more };
    }),
  );
  const answer = await pushed;
  if (i <= 10) continue;
  bare.push(bareMs);
  answered.push(answer);
  poked.push(Math.max(...pokes.map((p) => p.at)));
  carried += pokes.filter((p) => p.carried).length;
}
for (const reader of readers) await reader.cancel();

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * q))] as number;
};
const ms = (value: number) => `${value.toFixed(2)} ms`;
console.log(`commit to poke, ${ROUNDS} one-mutation pushes, ${STREAMS} streams; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores)`);
console.log(`   last stream poked after the push started: median ${ms(quantile(poked, 0.5))}, p95 ${ms(quantile(poked, 0.95))} (${carried} of ${ROUNDS * STREAMS} pokes carried their page)`);
console.log(`   baseline, push answered: median ${ms(quantile(answered, 0.5))}, p95 ${ms(quantile(answered, 0.95))}; bare route: median ${ms(quantile(bare, 0.5))}`);
console.log(`   ratio poke / push answer: ${(quantile(poked, 0.5) / quantile(answered, 0.5)).toFixed(2)}×`);
await db.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
