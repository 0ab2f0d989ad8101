import { rawRow, rawRows } from '../support/raw-sql.ts';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  isEvictable,
  type Message,
  type MutationResult,
  type PullResponse,
  type PushResponse,
  type SnapshotResponse,
  type StreamPoke,
  type Ticket,
  type TicketPriority,
  type TicketStatus,
} from '@desk/core';
import { serve } from '@hono/node-server';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestDesk, type TestDesk } from '../support/test-app.ts';
import { seedTicket } from './sync-helpers.ts';

/**
 * Three agents' clients against a real server over loopback HTTP and a real SQLite file:
 * random mutations, random delays, duplicated and reordered batches, and requests cut off
 * mid-flight. Afterwards every client converges to the server's state and every accepted
 * reply exists exactly once.
 */

type Pushed = { id: number; name: string; args: Record<string, unknown> };

interface Client {
  token: string;
  agentId: string;
  /** Tickets this client dropped (eviction); their messages are fetched again when they come back. */
  evicted: Set<string>;
  clientId: string;
  nextId: number;
  outbox: Pushed[];
  cursor: number;
  epoch: string | undefined;
  rows: Map<string, unknown>;
  results: Map<number, MutationResult>;
}

type Step =
  | { kind: 'mutate'; pick: number; ticket: number; status: TicketStatus; priority: TicketPriority; agent: number; tag: string }
  | { kind: 'push'; reorder: boolean; duplicate: boolean; cutAfterMs: number | null }
  | { kind: 'pull'; limit: number; cutAfterMs: number | null }
  | { kind: 'wait'; ms: number }
  | { kind: 'listen'; ms: number }
  | { kind: 'evict' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('mutate' as const),
      pick: fc.nat(6),
      ticket: fc.nat(2),
      status: fc.constantFrom<TicketStatus>('new', 'open', 'pending', 'on-hold', 'solved'),
      priority: fc.constantFrom<TicketPriority>('low', 'normal', 'high', 'urgent'),
      agent: fc.nat(3),
      tag: fc.constantFrom('vip', 'billing', 'late'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('push' as const),
      reorder: fc.boolean(),
      duplicate: fc.boolean(),
      cutAfterMs: fc.option(fc.nat(3), { freq: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pull' as const), limit: fc.integer({ min: 2, max: 40 }), cutAfterMs: fc.option(fc.nat(3), { freq: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.nat(4) }) },
  // Listen to the event stream for a while, applying the change sets its pokes carry.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('listen' as const), ms: fc.integer({ min: 1, max: 30 }) }) },
  // Drop solved tickets that are not this agent's (LOCAL_DAYS = 0 here), as a phone does with old ones.
  { weight: 1, arbitrary: fc.constant({ kind: 'evict' as const }) },
);

/** The PWA's eviction on the test client: core's rule, the ticket and its messages go. */
function evict(client: Client): void {
  for (const [key, row] of client.rows) {
    if (!key.startsWith('ticket:')) continue;
    const ticket = row as Ticket;
    if (!isEvictable(ticket, client.agentId, Date.now() + 1000, 0)) continue;
    client.rows.delete(key);
    for (const [other, value] of client.rows) if (other.startsWith('message:') && (value as Message).ticketId === ticket.id) client.rows.delete(other);
    client.evicted.add(ticket.id);
    evictions += 1;
  }
}
let evictions = 0;

async function call<T>(base: string, client: Client, path: string, init: RequestInit, cutAfterMs: number | null): Promise<T | null> {
  const controller = new AbortController();
  const timer = cutAfterMs === null ? undefined : setTimeout(() => controller.abort(), cutAfterMs);
  try {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${client.token}`);
    if (client.epoch) headers.set('x-sync-epoch', client.epoch);
    const res = await fetch(`${base}${path}`, { ...init, headers, signal: controller.signal });
    const body = (await res.json()) as T;
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body)}`);
    return body;
  } catch (err) {
    if (controller.signal.aborted) return null; // the connection dropped: the server may or may not have acted
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function pushOnce(base: string, client: Client, options: { reorder: boolean; duplicate: boolean; cutAfterMs: number | null }, rnd: () => number) {
  if (client.outbox.length === 0) return;
  let batch = [...client.outbox];
  if (options.duplicate) batch = [...batch, ...batch.slice(0, 1 + Math.floor(rnd() * batch.length))];
  if (options.reorder) batch.sort(() => rnd() - 0.5);
  const body = await call<PushResponse>(
    base,
    client,
    '/api/sync/push',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: client.clientId, mutations: batch }) },
    options.cutAfterMs,
  );
  if (!body) return;
  for (const result of body.results) {
    const known = client.results.get(result.id);
    if (known) expect(result).toEqual(known); // a replayed id answers its recorded result
    client.results.set(result.id, result);
    client.outbox = client.outbox.filter((m) => m.id !== result.id);
  }
}

function applyPage(client: Client, page: PullResponse): void {
  let previous = client.cursor;
  for (const change of page.changes) {
    expect(change.seq).toBeGreaterThan(previous);
    previous = change.seq;
    const key = `${change.entity}:${change.id}`;
    if (change.op === 'put') client.rows.set(key, change.data);
    else client.rows.delete(key);
  }
  client.cursor = page.cursor;
  client.epoch = page.epoch;
}

async function pullAll(base: string, client: Client, limit: number, cutAfterMs: number | null): Promise<void> {
  for (;;) {
    const page = await call<PullResponse>(base, client, `/api/sync/pull?cursor=${client.cursor}&limit=${limit}`, {}, cutAfterMs);
    if (!page) return;
    applyPage(client, page);
    if (!page.hasMore) return;
  }
}

/**
 * Holds the event stream open for `ms` (then drops it), applying each poke's carried page when it
 * follows on from the client's cursor, as the PWA does; other pokes would make it pull later.
 */
async function listen(base: string, client: Client, ms: number): Promise<void> {
  const controller = new AbortController();
  // The window starts once the stream is up (its `hello`): on a loaded machine, connecting alone can
  // take longer than the window, and the scenario would never hear a poke.
  let timer: NodeJS.Timeout | undefined;
  const connectTimer = setTimeout(() => controller.abort(), 5000);
  const query = new URLSearchParams({ cursor: String(client.cursor) });
  if (client.epoch) query.set('epoch', client.epoch);
  try {
    const res = await fetch(`${base}/api/sync/stream?${query}`, { headers: { authorization: `Bearer ${client.token}` }, signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += decoder.decode(value);
      if (!timer && text.includes('event: hello')) {
        clearTimeout(connectTimer);
        timer = setTimeout(() => controller.abort(), ms);
      }
      for (let found = POKE.exec(text); found; found = POKE.exec(text)) {
        text = text.slice(found.index + found[0].length);
        const poke = JSON.parse(found[1] as string) as StreamPoke;
        if (!poke.more && poke.page && poke.from === client.cursor) {
          applyPage(client, poke.page);
          carriedPagesApplied += 1;
        }
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    clearTimeout(connectTimer);
    clearTimeout(timer);
  }
}
let carriedPagesApplied = 0;
const POKE = /event: poke\ndata: (.*)\n(?:id: \d+\n)?\n/;

function mutationFor(stepData: Extract<Step, { kind: 'mutate' }>, tickets: string[], agents: (string | null)[]): Omit<Pushed, 'id'> {
  const ticketId = tickets[stepData.ticket] as string;
  switch (stepData.pick) {
    case 0:
      return { name: 'ticket.setStatus', args: { ticketId, status: stepData.status } };
    case 1:
      return { name: 'ticket.setPriority', args: { ticketId, priority: stepData.priority } };
    case 2:
      return { name: 'ticket.assign', args: { ticketId, agentId: agents[stepData.agent] ?? null } };
    case 3:
      return { name: 'ticket.addTag', args: { ticketId, tag: stepData.tag } };
    case 4:
      return { name: 'ticket.removeTag', args: { ticketId, tag: stepData.tag } };
    default:
      return { name: 'ticket.reply', args: { ticketId, messageId: randomUUID(), text: `reply ${randomUUID()}` } };
  }
}

async function runScenario(desk: TestDesk, base: string, plans: Step[][], seed: number) {
  let state = seed || 1;
  const rnd = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const tickets = [(await seedTicket(desk, { status: 'new' })).id, (await seedTicket(desk)).id, (await seedTicket(desk, { status: 'solved' })).id];
  const agents = [desk.agent.id, desk.other.id, desk.admin.id, null];
  const clients: Client[] = [desk.agent, desk.other, desk.admin].map((who) => ({
    token: who.token,
    agentId: who.id,
    evicted: new Set<string>(),
    clientId: `client-${randomUUID()}`,
    nextId: 1,
    outbox: [],
    cursor: 0,
    epoch: undefined,
    rows: new Map(),
    results: new Map(),
  }));
  const issued = new Map<Client, Pushed[]>(clients.map((c) => [c, []]));

  await Promise.all(
    clients.map(async (client, index) => {
      for (const s of plans[index] ?? []) {
        if (s.kind === 'mutate') {
          const mutation = { id: client.nextId++, ...mutationFor(s, tickets, agents) };
          client.outbox.push(mutation);
          issued.get(client)?.push(mutation);
        } else if (s.kind === 'push') {
          await pushOnce(base, client, s, rnd);
        } else if (s.kind === 'pull') {
          await pullAll(base, client, s.limit, s.cutAfterMs);
        } else if (s.kind === 'listen') {
          await listen(base, client, s.ms);
        } else if (s.kind === 'evict') {
          evict(client);
        } else {
          await new Promise((resolve) => setTimeout(resolve, s.ms));
        }
      }
    }),
  );

  // Back online for good: flush, then catch up.
  for (const client of clients) {
    for (let attempt = 0; client.outbox.length > 0; attempt++) {
      expect(attempt).toBeLessThan(5);
      await pushOnce(base, client, { reorder: false, duplicate: false, cutAfterMs: null }, rnd);
    }
  }
  for (const client of clients) await pullAll(base, client, 25, null);
  // A dropped ticket that came back (it changed since) gets its messages again when opened.
  for (const client of clients) {
    for (const id of client.evicted) {
      if (!client.rows.has(`ticket:${id}`)) continue;
      const answer = await call<SnapshotResponse>(base, client, `/api/sync/snapshot?part=message&ticketId=${id}`, {}, null);
      for (const change of answer?.changes ?? []) client.rows.set(`message:${change.id}`, change.data);
    }
  }

  const db = desk.services.db;
  for (const client of clients) {
    for (const id of tickets) {
      const stored = await desk.services.tickets.get(id) as Ticket;
      // Absent only when this client dropped it and it has not changed since: then the rule still holds.
      if (!client.rows.has(`ticket:${id}`)) {
        expect(client.evicted.has(id)).toBe(true);
        expect(isEvictable(stored, client.agentId, Date.now() + 1000, 0)).toBe(true);
        continue;
      }
      expect(client.rows.get(`ticket:${id}`)).toEqual(stored);
    }
    const serverMessages = await rawRows(db, 'SELECT id, ticket_id FROM messages') as { id: string; ticket_id: string | null }[];
    for (const { id, ticket_id } of serverMessages) {
      if (ticket_id && !client.rows.has(`ticket:${ticket_id}`)) continue;
      expect(client.rows.get(`message:${id}`)).toEqual(await desk.services.messages.get(id));
    }
    const mine = issued.get(client) ?? [];
    const processed = await rawRow(db, 'SELECT COUNT(*) AS n FROM sync_mutations WHERE client_id = ?', client.clientId) as { n: number };
    expect(processed.n).toBe(mine.length);
    for (const mutation of mine) {
      const result = client.results.get(mutation.id);
      expect(result).toBeDefined();
      if (mutation.name !== 'ticket.reply') continue;
      const copies = (await rawRow(db, 'SELECT COUNT(*) AS n FROM messages WHERE text = ?', mutation.args.text) as { n: number }).n;
      expect(copies).toBe(result?.status === 'applied' ? 1 : 0);
    }
  }
}

describe('sync convergence (property)', () => {
  it('three clients with delays, duplicates, reorders, disconnects, stream-carried changes and eviction converge, and accepted replies exist exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(step, { maxLength: 25 }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 1, max: 1_000_000 }), async (plans, seed) => {
        const desk = await createTestDesk();
        // The requests the server is handling: a cut-off one may still be running when the scenario ends.
        const handling = new Set<Promise<Response>>();
        const fetch: typeof desk.app.fetch = (...args) => {
          const answer = Promise.resolve(desk.app.fetch(...args));
          handling.add(answer);
          const forget = () => handling.delete(answer);
          answer.then(forget, forget);
          return answer;
        };
        const server = serve({ fetch, port: 0, hostname: '127.0.0.1' });
        await new Promise<void>((resolve) => server.once('listening', () => resolve()));
        const { port } = server.address() as AddressInfo;
        try {
          await runScenario(desk, `http://127.0.0.1:${port}`, plans, seed);
        } finally {
          await Promise.allSettled(handling); // let cut-off requests finish on the server before the database closes
          server.close();
          desk.close();
        }
      }),
      { numRuns: 25 },
    );
    // The runs did exercise stream-carried change sets, not only pulls, and evictions.
    expect(carriedPagesApplied).toBeGreaterThan(0);
    expect(evictions).toBeGreaterThan(0);
  }, 120_000);
});
