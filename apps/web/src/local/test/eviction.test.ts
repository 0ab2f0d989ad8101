import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskDb } from '../db.ts';
import { evictOld, hasEvicted, wasEvicted } from '../eviction.ts';
import { mutate } from '../outbox.ts';
import { ticketMessages } from '../queries.ts';
import { ensureIndex, forgetTickets, searchDbFor, searchTicketIds } from '../search-index.ts';
import { ticketIds } from '../ticket-ids.ts';
import { SyncEngine } from '../sync-engine.ts';
import { FakeServer } from './fake-server.ts';

const AGENT = 'agent-ana';
const LONG_AGO = '2029-01-01T00:00:00.000Z';
let db: DeskDb;
let server: FakeServer;
let engine: SyncEngine;
let name: string;
/** The fake server's clock starts in 2030: "now" for the eviction rule. */
const NOW = Date.parse('2030-01-02T00:00:00Z');

beforeEach(async () => {
  name = `desk-test-${crypto.randomUUID()}`;
  db = new DeskDb(name);
  server = new FakeServer().withSnapshot();
  engine = new SyncEngine({ db, agentId: AGENT, transport: server, backoff: { minMs: 5, maxMs: 20 }, isOffline: () => true });
});
afterEach(async () => {
  engine.stop();
  db.close();
  await DeskDb.delete(name);
});

async function sync() {
  engine.requestSync();
  await engine.whenIdle();
}

describe('eviction', () => {
  it('drops old solved tickets that are not mine, with their messages, and keeps open, mine and recent ones', async () => {
    const old = server.addTicket({ status: 'solved', updatedAt: LONG_AGO, solvedAt: LONG_AGO });
    const mine = server.addTicket({ status: 'solved', assigneeId: AGENT, updatedAt: LONG_AGO, solvedAt: LONG_AGO });
    const open = server.addTicket({ status: 'open', updatedAt: LONG_AGO });
    const recent = server.addTicket({ status: 'solved' });
    server.addMessage(old.id, 'old news');
    server.addMessage(open.id, 'still talking');
    await sync();
    expect(await ticketMessages(db, old.id)).toHaveLength(1);

    expect(await evictOld(db, AGENT, { now: NOW, days: 90 })).toBe(1);
    expect(await db.tickets.get(old.id)).toBeUndefined();
    expect(await ticketMessages(db, old.id)).toHaveLength(0);
    for (const kept of [mine, open, recent]) expect(await db.tickets.get(kept.id)).toBeDefined();
    expect(await ticketMessages(db, open.id)).toHaveLength(1);
    expect(await hasEvicted(db)).toBe(true);
  });

  it('keeps a ticket with a pending action', async () => {
    const old = server.addTicket({ status: 'solved', updatedAt: LONG_AGO, solvedAt: LONG_AGO });
    await sync();
    await mutate(db, AGENT, 'ticket.addTag', { ticketId: old.id, tag: 'later' });
    expect(await evictOld(db, AGENT, { now: NOW })).toBe(0);
    expect(await db.tickets.get(old.id)).toBeDefined();
  });

  it('a change to an evicted ticket arriving while the device evicts: the ticket is back, with the change, whatever the order', async () => {
    const old = server.addTicket({ status: 'solved', updatedAt: LONG_AGO, solvedAt: LONG_AGO });
    server.addMessage(old.id, 'the first words');
    await sync();
    // Someone reopens it while this device is dropping it: both race for IndexedDB.
    server.change(old.id, { status: 'open' });
    await Promise.all([evictOld(db.forServerData(), AGENT, { now: NOW }), sync()]);
    expect(await db.tickets.get(old.id)).toMatchObject({ status: 'open' });
    // Its messages went if the eviction won the race: on screen, they come back from the server.
    if ((await ticketMessages(db, old.id)).length === 0) expect(await wasEvicted(db, old.id)).toBe(true);
    engine.ensureMessages(old.id);
    await engine.whenIdle();
    expect((await ticketMessages(db, old.id)).map((m) => m.text)).toEqual(['the first words']);
    expect(await wasEvicted(db, old.id)).toBe(false);
  });

  it('forgets dropped tickets in the search index: a search finds and counts only what the device keeps', async () => {
    const old = server.addTicket({ subject: 'Kettle refund', status: 'solved', updatedAt: LONG_AGO, solvedAt: LONG_AGO });
    const recent = server.addTicket({ subject: 'Kettle refund again', status: 'solved' });
    server.addMessage(old.id, 'the spout leaks');
    await sync();
    const sdb = searchDbFor(db);
    await ensureIndex(sdb, db);
    expect(await searchTicketIds(sdb, 'kettle')).toEqual(new Set([old.id, recent.id]));
    expect(await searchTicketIds(sdb, 'spout')).toEqual(new Set([old.id]));

    expect(await evictOld(db.forServerData(), AGENT, { now: NOW })).toBe(1);
    expect(await searchTicketIds(sdb, 'kettle')).toEqual(new Set([recent.id]));
    expect(await searchTicketIds(sdb, 'spout')).toEqual(new Set());
    const list = await ticketIds(db, { statuses: [], priorities: [], assignees: [], matching: await searchTicketIds(sdb, 'kettle'), newestFirst: true });
    expect(list.ids).toEqual([recent.id]);
    expect(list.counts.solved).toBe(1);
    // A ticket still (or again) in the store keeps its words whatever the eviction said.
    await forgetTickets(sdb, db, [recent.id]);
    expect(await searchTicketIds(sdb, 'kettle')).toEqual(new Set([recent.id]));
  });

  it('fetches an evicted ticket and its messages when it is opened', async () => {
    const old = server.addTicket({ status: 'solved', updatedAt: LONG_AGO, solvedAt: LONG_AGO });
    server.addMessage(old.id, 'archived');
    await sync();
    await evictOld(db, AGENT, { now: NOW });
    expect(await db.tickets.get(old.id)).toBeUndefined();
    engine.ensureTicket(old.id);
    await engine.whenIdle();
    expect(await db.tickets.get(old.id)).toMatchObject({ id: old.id, status: 'solved' });
    expect((await ticketMessages(db, old.id)).map((m) => m.text)).toEqual(['archived']);
  });
});
