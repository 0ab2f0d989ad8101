import 'fake-indexeddb/auto';
import { TicketRule } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskDb, getMeta, META } from '../db.ts';
import { mutate } from '../outbox.ts';
import { listTickets, ticketMessages } from '../queries.ts';
import { FIRST_TICKET_PAGE, prefetchFirstTicketPage, takeFirstTicketPage, withFirstTicketPage } from '../first-ticket-page.ts';
import { SyncEngine } from '../sync-engine.ts';
import { FakeServer } from './fake-server.ts';

const AGENT = 'agent-ana';
let db: DeskDb;
let server: FakeServer;
let engine: SyncEngine;
let name: string;

function newEngine(database = db) {
  return new SyncEngine({ db: database, agentId: AGENT, transport: server, backoff: { minMs: 5, maxMs: 20 }, isOffline: () => true });
}

beforeEach(async () => {
  name = `desk-test-${crypto.randomUUID()}`;
  db = new DeskDb(name);
  server = new FakeServer();
  engine = newEngine();
});
afterEach(async () => {
  engine.stop();
  db.close();
  await DeskDb.delete(name);
});

describe('actions', () => {
  it('write the optimistic change and the outbox entry together, keeping the server copy as base', async () => {
    const ticket = server.addTicket({ status: 'new' });
    await engine.syncOnce();
    const result = await mutate(db, AGENT, 'ticket.assign', { ticketId: ticket.id, agentId: AGENT });
    // Alone in the outbox: it can be pushed at once, by itself.
    expect(result).toMatchObject({ ok: true, mutationId: 1, alone: { id: 1, name: 'ticket.assign' } });
    expect(await db.tickets.get(ticket.id)).toMatchObject({ status: 'open', assigneeId: AGENT, assignee: AGENT });
    expect(await db.outbox.toArray()).toMatchObject([{ id: 1, name: 'ticket.assign' }]);
    expect((await db.base.get(['ticket', ticket.id]))?.row).toMatchObject({ status: 'new', assigneeId: null });
    expect(await listTickets(db, { statuses: ['open'], priorities: [], assignees: [AGENT] })).toHaveLength(1);
  });

  it('refuse what the rules forbid at once, without queueing anything', async () => {
    const ticket = server.addTicket({ status: 'open' });
    await engine.syncOnce();
    const result = await mutate(db, AGENT, 'ticket.setStatus', { ticketId: ticket.id, status: 'new' });
    expect(result).toMatchObject({ ok: false, error: { rule: TicketRule.noReturnToNew } });
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('rebase', () => {
  it("keeps pending changes on top of other agents' changes: no flicker back, then the server's state", async () => {
    const ticket = server.addTicket();
    await engine.syncOnce();
    await mutate(db, AGENT, 'ticket.setStatus', { ticketId: ticket.id, status: 'pending' });
    await mutate(db, AGENT, 'ticket.addTag', { ticketId: ticket.id, tag: 'mine' });
    server.change(ticket.id, { priority: 'urgent', tags: ['theirs'] });

    // Pull only (as a poke would, before our push): the view is the server's row + our pending ops.
    server.offline = false;
    const page = await server.pull((await getMeta<number>(db, META.cursor)) ?? 0, server.epoch);
    const { applyPull } = await import('../outbox.ts');
    await applyPull(db, AGENT, 'nobody-yet', page);
    expect(await db.tickets.get(ticket.id)).toMatchObject({ status: 'pending', priority: 'urgent', tags: ['theirs', 'mine'] });

    await engine.syncOnce();
    expect(await db.outbox.count()).toBe(0);
    expect(await db.base.count()).toBe(0);
    const local = await db.tickets.get(ticket.id);
    expect(local).toMatchObject({ status: 'pending', priority: 'urgent', tags: ['theirs', 'mine'] });
    const { assignee: _assignee, ...asServer } = local as NonNullable<typeof local>;
    expect(asServer).toEqual(server.tickets.get(ticket.id));
  });

  it('shows a reply once, even when the server copy arrives before the confirmation', async () => {
    const ticket = server.addTicket();
    await engine.syncOnce();
    await mutate(db, AGENT, 'ticket.reply', { ticketId: ticket.id, messageId: crypto.randomUUID(), text: 'Hello!' });
    expect(await ticketMessages(db, ticket.id)).toMatchObject([{ text: 'Hello!', delivery: { state: 'pending' } }]);

    // The push is applied but its answer is lost; the pull shows the message before we know.
    server.dropNextPushAnswer = true;
    await expect(engine.syncOnce()).rejects.toThrow();
    const { applyPull } = await import('../outbox.ts');
    await applyPull(db, AGENT, await engine.clientId(), await server.pull((await getMeta<number>(db, META.cursor)) ?? 0, server.epoch));
    expect(await ticketMessages(db, ticket.id)).toMatchObject([{ text: 'Hello!', delivery: { state: 'delivered' } }]);
    expect(await db.outbox.count()).toBe(1); // not dropped silently: the next push learns its recorded result

    await engine.syncOnce();
    expect(await db.outbox.count()).toBe(0);
    expect(await ticketMessages(db, ticket.id)).toHaveLength(1);
    expect(server.replyCount('Hello!')).toBe(1);
  });

  it('undoes a rejected mutation and tells why', async () => {
    const ticket = server.addTicket();
    await engine.syncOnce();
    await mutate(db, AGENT, 'ticket.reply', { ticketId: ticket.id, messageId: crypto.randomUUID(), text: 'Too late' });
    await mutate(db, AGENT, 'ticket.setPriority', { ticketId: ticket.id, priority: 'high' });
    server.change(ticket.id, { status: 'solved' }); // another agent solved it meanwhile

    await engine.syncOnce();
    expect(await ticketMessages(db, ticket.id)).toHaveLength(0);
    expect(await db.tickets.get(ticket.id)).toMatchObject({ status: 'solved', priority: 'high' });
    const notices = await db.notices.toArray();
    expect(notices).toMatchObject([{ name: 'ticket.reply', ticketId: ticket.id, error: { rule: TicketRule.replyNeedsActiveTicket } }]);
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('durability and recovery', () => {
  it('keeps pending work across a reload and pushes it once online', async () => {
    const ticket = server.addTicket();
    await engine.syncOnce();
    server.offline = true;
    await mutate(db, AGENT, 'ticket.setPriority', { ticketId: ticket.id, priority: 'low' });
    await mutate(db, AGENT, 'ticket.reply', { ticketId: ticket.id, messageId: crypto.randomUUID(), text: 'Offline reply' });
    await expect(engine.syncOnce()).rejects.toThrow();
    engine.stop();
    db.close();

    db = new DeskDb(name); // the reload
    engine = newEngine();
    expect(await db.outbox.count()).toBe(2);
    expect(await db.tickets.get(ticket.id)).toMatchObject({ priority: 'low' });
    server.offline = false;
    engine.requestSync();
    await engine.whenIdle();
    expect(await db.outbox.count()).toBe(0);
    expect(server.tickets.get(ticket.id)?.priority).toBe('low');
    expect(server.replyCount('Offline reply')).toBe(1);
    expect(engine.status.get()).toMatchObject({ online: true, syncing: false, waiting: 0 });
  });

  it('retries with backoff and reports offline meanwhile', async () => {
    server.addTicket();
    server.offline = true;
    engine.requestSync();
    await engine.whenIdle();
    expect(engine.status.get().online).toBe(false);
    server.offline = false;
    await new Promise((resolve) => setTimeout(resolve, 60));
    await engine.whenIdle();
    expect(engine.status.get().online).toBe(true);
    expect(await db.tickets.count()).toBe(1);
  });

  it('re-bootstraps after a server restore without losing pending mutations', async () => {
    const ticket = server.addTicket();
    await engine.syncOnce();
    const oldClient = await engine.clientId();
    await mutate(db, AGENT, 'ticket.addTag', { ticketId: ticket.id, tag: 'kept' });
    server.epoch = 'epoch-2'; // restored from a backup
    await engine.syncOnce();
    expect(await engine.clientId()).not.toBe(oldClient);
    expect(await db.outbox.count()).toBe(0);
    expect(server.tickets.get(ticket.id)?.tags).toEqual(['kept']);
    expect(await db.tickets.get(ticket.id)).toMatchObject({ tags: ['kept'] });
    expect(await getMeta(db, META.epoch)).toBe('epoch-2');
  });
});

describe('ticket list queries', () => {
  it('match a brute-force filter for every combination, newest first', async () => {
    const statuses = ['new', 'open', 'pending', 'on-hold', 'solved'] as const;
    const priorities = ['low', 'normal', 'high', 'urgent'] as const;
    const agents = [null, 'a1', 'a2'];
    for (let i = 0; i < 300; i++) {
      server.addTicket({
        status: statuses[i % 5],
        priority: priorities[(i * 7) % 4],
        assigneeId: agents[(i * 3) % 3] ?? null,
        updatedAt: new Date(Date.UTC(2030, 0, 1, 0, 0, (i * 7919) % 300)).toISOString(),
      });
    }
    await engine.syncOnce();
    const all = await db.tickets.toArray();
    const filters = [
      { statuses: [], priorities: [], assignees: [] },
      { statuses: ['open'], priorities: [], assignees: [] },
      { statuses: ['open', 'pending'], priorities: ['high', 'urgent'], assignees: [] },
      { statuses: [], priorities: ['low'], assignees: ['none'] },
      { statuses: ['new', 'solved'], priorities: ['normal'], assignees: ['a1', 'none'] },
    ] as const;
    for (const filter of filters) {
      const got = await listTickets(db, { statuses: [...filter.statuses], priorities: [...filter.priorities], assignees: [...filter.assignees] }, 20);
      const want = all
        .filter((t) => filter.statuses.length === 0 || (filter.statuses as readonly string[]).includes(t.status))
        .filter((t) => filter.priorities.length === 0 || (filter.priorities as readonly string[]).includes(t.priority))
        .filter((t) => filter.assignees.length === 0 || (filter.assignees as readonly string[]).includes(t.assignee))
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .slice(0, 20);
      expect(got.map((t) => t.updatedAt)).toEqual(want.map((t) => t.updatedAt));
      expect(new Set(got.map((t) => t.id)).size).toBe(got.length);
    }
  });
});

describe('stream-carried change sets', () => {
  /** What the server's stream would carry to a client at `from`: the final pull page since then. */
  const carried = async (from: number) => {
    const page = await server.pull(from, server.epoch);
    server.pulls -= 1; // the server's own read for the stream, not a client's pull
    return { cursor: page.cursor, more: false, from, page };
  };

  it('apply without a pull when they follow on from the local cursor, and confirm a pushed action', async () => {
    const ticket = server.addTicket();
    await engine.syncOnce();
    const from = (await getMeta<number>(db, META.cursor)) ?? 0;
    const pullsBefore = server.pulls;
    server.change(ticket.id, { priority: 'urgent' });
    const poke = await carried(from);
    engine.offer(poke);
    await engine.whenIdle();
    expect(await db.tickets.get(ticket.id)).toMatchObject({ priority: 'urgent' });
    expect(server.pulls).toBe(pullsBefore);

    // Our own action: pushed at once; the stream's page (which may come before the push's answer) confirms it.
    const acted = await mutate(db, AGENT, 'ticket.addTag', { ticketId: ticket.id, tag: 'mine' });
    if (!acted.ok || !acted.alone) throw new Error('expected an action alone in the outbox');
    const pushesBefore = server.pushes;
    await engine.pushFresh(acted.alone);
    expect(server.pushes).toBe(pushesBefore + 1);
    const next = await carried(poke.page.cursor);
    engine.offer(next);
    await engine.whenIdle();
    expect(await db.outbox.count()).toBe(0);
    expect(await db.tickets.get(ticket.id)).toMatchObject({ tags: ['mine'], priority: 'urgent' });
    expect(server.pulls).toBe(pullsBefore);
  });

  it('fall back to a pull after a gap, and never apply a page that does not follow on', async () => {
    const ticket = server.addTicket();
    await engine.syncOnce();
    const from = (await getMeta<number>(db, META.cursor)) ?? 0;
    server.change(ticket.id, { priority: 'low' });
    const missed = await carried(from); // never delivered
    server.change(ticket.id, { status: 'pending' });
    const late = await carried(missed.page.cursor);
    const pullsBefore = server.pulls;
    engine.offer(late);
    await engine.whenIdle();
    expect(server.pulls).toBeGreaterThan(pullsBefore);
    expect(await db.tickets.get(ticket.id)).toMatchObject({ priority: 'low', status: 'pending' });
  });
});

describe('a new device', () => {
  it('takes the first list page that sign-in asked for ahead, then downloads the rest itself', async () => {
    server.withSnapshot();
    for (let i = 0; i < 250; i++) server.addTicket();
    prefetchFirstTicketPage(`desk-never-opened-${crypto.randomUUID()}`, () => server.snapshotPage({ ...FIRST_TICKET_PAGE }));
    engine.stop();
    // As the HTTP transport does, on the test's server: the first page comes from what was asked ahead.
    const snapshot = withFirstTicketPage((query: Parameters<FakeServer['snapshotPage']>[0]) => server.snapshotPage(query));
    engine = new SyncEngine({ db, agentId: AGENT, transport: { pull: server.pull.bind(server), push: server.push.bind(server), snapshot }, backoff: { minMs: 5, maxMs: 20 } });
    engine.requestSync();
    await engine.whenIdle();
    // The page asked for at sign-in, then the engine's own second page: no first page asked twice.
    expect(server.snapshots.filter((part) => part === 'ticket')).toHaveLength(2);
    expect(await db.tickets.count()).toBe(250);
  });

  it('asks for nothing ahead on a device that already holds the agent’s database', async () => {
    await db.open();
    prefetchFirstTicketPage(name, () => server.snapshotPage({ ...FIRST_TICKET_PAGE }));
    expect(await takeFirstTicketPage()).toBeNull();
    expect(server.snapshots).toEqual([]);
  });

  it('downloads tickets newest first, follows the log, then messages in the background; an opened ticket gets its messages first', async () => {
    server.withSnapshot();
    const tickets = Array.from({ length: 250 }, () => server.addTicket());
    const newest = server.change((tickets[0] as { id: string }).id, { priority: 'urgent' });
    for (const ticket of tickets.slice(0, 30)) for (let i = 0; i < 100; i++) server.addMessage(ticket.id, `message ${i}`);
    const opened = tickets[29] as { id: string };

    engine.ensureMessages(opened.id);
    engine.requestSync();
    await engine.whenIdle();
    expect(server.snapshots.slice(0, 3)).toEqual(['ticket', 'ticket', 'other']);
    // Asked for before the background download, and served ahead of it.
    expect(server.snapshots).toContain(`message:${opened.id}`);
    expect(server.snapshots.indexOf(`message:${opened.id}`)).toBeLessThan(server.snapshots.indexOf('message'));
    expect(await db.tickets.count()).toBe(250);
    expect((await listTickets(db, { statuses: [], priorities: [], assignees: [] }, 1))[0]?.id).toBe(newest.id);
    expect(await db.messages.count()).toBe(3000);
    expect(await ticketMessages(db, opened.id)).toHaveLength(100);
    expect(engine.downloadingMessages).toBe(false);
    expect(await getMeta(db, META.messageBackfill)).toBeUndefined();

    // From then on it follows the log from where the download began.
    server.change(newest.id, { status: 'pending' });
    await engine.syncOnce();
    expect(await db.tickets.get(newest.id)).toMatchObject({ status: 'pending', priority: 'urgent' });
  }, 30_000); // 3,000 messages through fake IndexedDB: a few seconds on a shared CPU
});
