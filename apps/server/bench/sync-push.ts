/**
 * Server push of 100 mutations (goal ≤ 20 ms), and a bootstrap pull, over the real app and a real
 * SQLite file. Run: `npx tsx apps/server/bench/sync-push.ts` from the repo root.
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
const services = createServices(db, config);
const app = createApp(services);
const agent = services.agents.create({ name: 'Bench', email: 'bench@desk.local', role: 'agent', passwordHash: null });
const token = services.sessions.create(agent.id).token;

const tickets = db.transaction(() =>
  Array.from({ length: 50 }, (_, i) => {
    const externalId = randomUUID();
    const contact = services.contacts.create({ name: `User ${i}` }, { channel: 'webchat', externalId });
    const conversation = services.conversations.create({ contactId: contact.id, channel: 'webchat', externalId });
    const ticket = services.tickets.create({
      subject: `Ticket ${i}`, status: 'open', priority: 'normal', tags: [], assigneeId: null, contactId: contact.id,
      channel: 'webchat', conversationId: conversation.id, intentId: null, intentConfidence: null,
    });
    services.conversations.setMode(conversation.id, 'desk', ticket.id);
    return ticket.id;
  }),
)();

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

async function push(size: number): Promise<number> {
  const body = JSON.stringify({ clientId: 'bench-client-1', mutations: batch(size) });
  const start = performance.now();
  const res = await app.request('http://localhost/api/sync/push', { method: 'POST', headers, body });
  const json = (await res.json()) as { results: { status: string }[] };
  const ms = performance.now() - start;
  if (json.results.length !== size || json.results.some((r) => r.status !== 'applied')) throw new Error(`push failed: ${JSON.stringify(json).slice(0, 300)}`);
  return ms;
}

await push(20); // warm-up
const runs: number[] = [];
for (let i = 0; i < 10; i++) runs.push(await push(100));
runs.sort((a, b) => a - b);
console.log(`push of 100 mutations: median ${runs[5]?.toFixed(1)} ms, best ${runs[0]?.toFixed(1)} ms, worst ${runs[9]?.toFixed(1)} ms (goal ≤ 20 ms)`);

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
db.close();
rmSync(dataDir, { recursive: true, force: true });
