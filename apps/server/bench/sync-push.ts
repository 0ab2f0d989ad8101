/**
 * Server push of 100 mutations (goal ≤ 20 ms), and a bootstrap pull, over the real app and a real
 * SQLite file. Each round pushes 100 fresh mutations through `POST /api/sync/push` (auth, zod, the
 * at-most-once bookkeeping, the ticket/engine writes, the change log), interleaved with the same
 * run's baseline: 100 raw better-sqlite3 inserts of the same `sync_mutations` rows in one
 * transaction (plus, for context, the same inserts with one commit each). Prints median and p95
 * over ROUNDS rounds, the push's CPU time, and the push as a ratio to the baseline (per round).
 *
 *   cd apps/server && ../../node_modules/.bin/tsx bench/sync-push.ts   [ROUNDS=30]
 *   (or `npx -y pnpm@12.4.2 --filter @desk/server bench:sync-push`)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { createServices } from '../src/services.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'desk-bench-'));
const config = loadConfig({ DATA_DIR: dataDir, WEB_DIST: join(dataDir, 'none') });
const db = openDatabase(config.databaseFile);
const sqlite = db.sqlite as NonNullable<typeof db.sqlite>; // the baseline writes with better-sqlite3 itself
const services = await createServices(db, config);
const app = createApp(services);
const agent = await services.agents.create({ name: 'Bench', email: 'bench@desk.local', role: 'agent', passwordHash: null });
const token = (await services.sessions.create(agent.id)).token;

const tickets = await db.transaction(async () => {
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const externalId = randomUUID();
    const contact = await services.contacts.create({ name: `User ${i}` }, { channel: 'webchat', externalId });
    const conversation = await services.conversations.create({ contactId: contact.id, channel: 'webchat', externalId });
    const ticket = await services.tickets.create({
      subject: `Ticket ${i}`, status: 'open', priority: 'normal', tags: [], assigneeId: null, contactId: contact.id,
      channel: 'webchat', conversationId: conversation.id, intentId: null, intentConfidence: null,
    });
    await services.conversations.setMode(conversation.id, 'desk', ticket.id);
    ids.push(ticket.id);
  }
  return ids;
});

const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
let nextId = 1;
function batch(size: number) {
  return Array.from({ length: size }, (_, i) => {
    const ticketId = tickets[i % tickets.length] as string;
    const id = nextId++;
    switch (i % 4) {
      case 0:
        return { id, name: 'ticket.setPriority', args: { ticketId, priority: ['low', 'normal', 'high', 'urgent'][id % 4] } };
      case 1:
        return { id, name: 'ticket.addTag', args: { ticketId, tag: `t${id % 7}` } };
      case 2:
        return { id, name: 'ticket.reply', args: { ticketId, messageId: randomUUID(), text: `Reply ${id}` } };
      default:
        return { id, name: 'ticket.setStatus', args: { ticketId, status: id % 2 ? 'pending' : 'open' } };
    }
  });
}

const ROUNDS = Number(process.env.ROUNDS ?? 30);

// Baseline: the same sync_mutations rows (another client id, so keys don't collide), raw.
const insertRaw = sqlite.prepare('INSERT INTO sync_mutations (client_id, mutation_id, name, status, error, applied_at) VALUES (?, ?, ?, ?, ?, ?)');
const insertCommitted = sqlite.transaction((clientId: string, id: number, name: string) => {
  insertRaw.run(clientId, id, name, 'applied', null, new Date().toISOString());
});
let rawClient = 0;
function raw(mutations: { id: number; name: string }[], oneTransaction: boolean): number {
  const clientId = `bench-raw-${rawClient++}`;
  const start = performance.now();
  const insertAll = () => {
    for (const m of mutations) insertRaw.run(clientId, m.id, m.name, 'applied', null, new Date().toISOString());
  };
  if (oneTransaction) sqlite.transaction(insertAll).immediate();
  else for (const m of mutations) insertCommitted.immediate(clientId, m.id, m.name);
  return performance.now() - start;
}

let pushCpuMs = 0;
async function push(mutations: ReturnType<typeof batch>): Promise<number> {
  const body = JSON.stringify({ clientId: 'bench-client-1', mutations });
  const cpu = process.cpuUsage();
  const start = performance.now();
  const res = await app.request('http://localhost/api/sync/push', { method: 'POST', headers, body });
  const json = (await res.json()) as { results: { status: string }[] };
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  pushCpuMs = (used.user + used.system) / 1000;
  if (json.results.length !== mutations.length || json.results.some((r) => r.status !== 'applied')) {
    throw new Error(`push failed: ${JSON.stringify(json).slice(0, 300)}`);
  }
  return ms;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1))] as number;
};
const fmt = (values: number[], unit = ' ms') =>
  `median ${quantile(values, 0.5).toFixed(2)}${unit}, p95 ${quantile(values, 0.95).toFixed(2)}${unit}, best ${quantile(values, 0).toFixed(2)}${unit}`;

for (let i = 0; i < 5; i++) {
  // Warm-up: JIT, statement caches, page cache.
  const mutations = batch(100);
  raw(mutations, true);
  raw(mutations, false);
  await push(mutations);
}
const pushMs: number[] = [];
const pushCpu: number[] = [];
const rawMs: number[] = [];
const rawCommitsMs: number[] = [];
const ratios: number[] = [];
const commitRatios: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const mutations = batch(100);
  const base = raw(mutations, true);
  const commits = raw(mutations, false);
  const ms = await push(mutations);
  rawCommitsMs.push(commits);
  commitRatios.push(ms / commits);
  pushMs.push(ms);
  pushCpu.push(pushCpuMs);
  rawMs.push(base);
  ratios.push(ms / base);
}
console.log(`push of 100 mutations (${ROUNDS} rounds): ${fmt(pushMs)} (goal ≤ 20 ms)`);
console.log(`  CPU time of the push (process, user + system; less sensitive to a busy machine): ${fmt(pushCpu)}`);
console.log(`  baseline, 100 raw sync_mutations inserts in one transaction: ${fmt(rawMs)}`);
console.log(`  context, the same 100 inserts with one commit each: ${fmt(rawCommitsMs)}`);
const ratioOfMedians = (a: number[], b: number[]) => (quantile(a, 0.5) / quantile(b, 0.5)).toFixed(1);
console.log(`  push / baseline: ${ratioOfMedians(pushMs, rawMs)}× (medians); per round ${fmt(ratios, '×')}`);
console.log(`  push / one-commit-each inserts: ${ratioOfMedians(pushMs, rawCommitsMs)}× (medians); per round ${fmt(commitRatios, '×')}`);

const start = performance.now();
let cursor = 0;
let changes = 0;
for (;;) {
  const res = await app.request(`http://localhost/api/sync/pull?cursor=${cursor}&limit=1000`, { headers });
  const page = (await res.json()) as { cursor: number; hasMore: boolean; changes: unknown[] };
  changes += page.changes.length;
  cursor = page.cursor;
  if (!page.hasMore) break;
}
console.log(`bootstrap pull: ${changes} changes in ${(performance.now() - start).toFixed(1)} ms`);

services.outbox.stop();
await db.close();
rmSync(dataDir, { recursive: true, force: true });
