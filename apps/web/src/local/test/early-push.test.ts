import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { carriedScreen } from '../carried-screen.ts';
import { DeskDb, getMeta, type LocalTicket, META } from '../db.ts';
import { chooseId, EarlyPushes, waitingChanges } from '../mutation-ids.ts';
import { withPending } from '../optimistic.ts';
import { type EarlyPush, mutate } from '../outbox.ts';
import { SyncEngine } from '../sync-engine.ts';
import { FakeServer } from './fake-server.ts';

const AGENT = 'agent-ana';
let db: DeskDb;
let server: FakeServer;
let engine: SyncEngine;
let name: string;

function newEngine(options: Partial<ConstructorParameters<typeof SyncEngine>[0]> = {}) {
  return new SyncEngine({ db, agentId: AGENT, transport: server, backoff: { minMs: 5, maxMs: 20 }, isOffline: () => true, ...options });
}

/**
 * A new leader tab's early push, through this test's engine: its first action (marking the ticket read) is
 * pushed after its commit and arms the next id for this tab.
 */
async function leaderPush(ticketId: string): Promise<EarlyPush & { sent: Promise<void>[] }> {
  const sent: Promise<void>[] = [];
  const early: EarlyPush & { sent: Promise<void>[] } = { pushes: new EarlyPushes(), sent, push: (entry) => void sent.push(engine.pushFresh(entry).catch(() => undefined)) };
  const first = await mutate(db, AGENT, 'ticket.markRead', { ticketId }, { early });
  expect(first).toMatchObject({ ok: true });
  expect(first.ok && first.pushedEarly).toBeFalsy();
  await engine.syncOnce();
  return early;
}

/** Options for `mutate` whose action's transaction is cut right after its early push left (a crash before the commit). */
function crashingAfterPush(early: EarlyPush): Parameters<typeof mutate>[4] {
  let pushed = false;
  return {
    early: {
      ...early,
      push: (entry) => {
        early.push(entry);
        pushed = true;
      },
    },
    // Told the rows right after the push left, inside the action's transaction.
    onRows: () => {
      if (pushed) Dexie.currentTransaction?.abort();
    },
  };
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

describe('early push (an action sent while its IndexedDB commit runs)', () => {
  it('reaches the server before the action has committed, and is confirmed as usual', async () => {
    const ticket = server.addTicket();
    await engine.syncOnce();
    const early = await leaderPush(ticket.id);
    let serverHadItBeforeCommit = false;
    const acted = await mutate(db, AGENT, 'ticket.setPriority', { ticketId: ticket.id, priority: 'low' }, {
      early: {
        ...early,
        push: (entry) => {
          early.push(entry);
          // Called inside the action's transaction: the fake server applied the push synchronously.
          serverHadItBeforeCommit = server.tickets.get(ticket.id)?.priority === 'low';
        },
      },
    });
    expect(acted).toMatchObject({ ok: true, mutationId: 2, pushedEarly: true });
    expect(serverHadItBeforeCommit).toBe(true);
    await Promise.all(early.sent);
    await engine.syncOnce();
    expect(await db.outbox.count()).toBe(0);
    expect(server.pushes).toBe(2);

    // The next action's id was armed by this one's commit: it goes early too, with the next id.
    const next = await mutate(db, AGENT, 'ticket.addTag', { ticketId: ticket.id, tag: 'again' }, { early });
    expect(next).toMatchObject({ ok: true, mutationId: 3, pushedEarly: true });
    await Promise.all(early.sent);
    await engine.syncOnce();
    expect(server.tickets.get(ticket.id)).toMatchObject({ priority: 'low', tags: ['again'] });
  });

  it('never reuses the id of an action whose push left before a crash cut its commit: the next action still runs on the server', async () => {
    const ticket = server.addTicket();
    await engine.syncOnce();
    const early = await leaderPush(ticket.id);
    await expect(mutate(db, AGENT, 'ticket.setPriority', { ticketId: ticket.id, priority: 'low' }, crashingAfterPush(early))).rejects.toThrow();
    await Promise.all(early.sent);
    // The push got there; the device kept nothing of the action.
    expect(server.tickets.get(ticket.id)?.priority).toBe('low');
    expect(await db.outbox.count()).toBe(0);
    expect(await getMeta<number>(db, META.nextMutationId)).toBe(2);

    // The reload: another connection, a tab that is not (yet) the leader acts first.
    engine.stop();
    db.close();
    db = new DeskDb(name);
    engine = newEngine();
    const after = await mutate(db, AGENT, 'ticket.addTag', { ticketId: ticket.id, tag: 'after' });
    // Id 2 may be the lost action's: it is filled, and the new action takes 3.
    expect(after).toMatchObject({ ok: true, mutationId: 3 });
    expect((await db.outbox.toArray()).map((entry) => [entry.id, entry.name])).toEqual([
      [2, 'sync.skipId'],
      [3, 'ticket.addTag'],
    ]);
    // The agent did one thing: the filler is not counted as a change waiting.
    expect(await waitingChanges(db)).toBe(1);
    await engine.syncOnce();
    // With id 2 reused, the server would have answered the tag "applied" (its record of the lost action) without running it.
    expect(server.tickets.get(ticket.id)).toMatchObject({ priority: 'low', tags: ['after'] });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.notices.count()).toBe(0);
    // The lost action's effect came back from the server, like another agent's change.
    expect(await db.tickets.get(ticket.id)).toMatchObject({ priority: 'low', tags: ['after'] });
  });

  it('has the next leader fill an id armed by a leader tab that is gone, whether or not its push got there', async () => {
    const ticket = server.addTicket();
    await engine.syncOnce();
    const early = await leaderPush(ticket.id);
    server.offline = true; // the push never arrives this time
    await expect(mutate(db, AGENT, 'ticket.setPriority', { ticketId: ticket.id, priority: 'low' }, crashingAfterPush(early))).rejects.toThrow();
    await Promise.all(early.sent);
    server.offline = false;

    // A new leader holds no key: its first action fills the armed id, goes after its commit, and arms the next.
    const next: EarlyPush = { pushes: new EarlyPushes(), push: (entry) => void engine.pushFresh(entry) };
    const acted = await mutate(db, AGENT, 'ticket.addTag', { ticketId: ticket.id, tag: 'kept' }, { early: next });
    expect(acted).toMatchObject({ ok: true, mutationId: 3 });
    expect(acted.ok && acted.pushedEarly).toBeFalsy();
    expect((await db.outbox.toArray()).map((entry) => entry.name)).toEqual(['sync.skipId', 'ticket.addTag']);
    await engine.syncOnce();
    expect(server.tickets.get(ticket.id)).toMatchObject({ priority: 'normal', tags: ['kept'] });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.notices.count()).toBe(0);
    const then = await mutate(db, AGENT, 'ticket.addTag', { ticketId: ticket.id, tag: 'early' }, { early: next });
    expect(then).toMatchObject({ ok: true, mutationId: 4, pushedEarly: true });
  });

  it('chooses ids: the armed id is used only by the key that armed it, and filled otherwise', () => {
    expect(chooseId(undefined, undefined, null, true)).toEqual({ id: 1, filler: null, early: false });
    expect(chooseId(4, { id: 4, key: 'k' }, 'k', true)).toEqual({ id: 4, filler: null, early: true });
    expect(chooseId(4, { id: 4, key: 'k' }, 'k', false)).toEqual({ id: 4, filler: null, early: false });
    expect(chooseId(4, { id: 4, key: 'k' }, 'other', true)).toEqual({ id: 5, filler: 4, early: false });
    expect(chooseId(4, { id: 4, key: 'k' }, null, true)).toEqual({ id: 5, filler: 4, early: false });
    // A stale arm (its id was taken by a committed action) changes nothing.
    expect(chooseId(5, { id: 4, key: 'k' }, null, true)).toEqual({ id: 5, filler: null, early: false });
  });
});

describe("another agent's change carried by the stream", () => {
  const carried = async (from: number) => {
    const page = await server.pull(from, server.epoch);
    return { cursor: page.cursor, more: false as const, from, page };
  };

  it('is on screen before its IndexedDB commit, the store then holds it, and a ticket under a pending action keeps showing the action', async () => {
    const theirs = server.addTicket();
    const mine = server.addTicket();
    const shown: { tickets: readonly LocalTicket[]; stored: Promise<LocalTicket | undefined>; screen: string | undefined }[] = [];
    const screen = carriedScreen(db);
    engine = newEngine({
      showCarried: (tickets) => {
        const settle = screen.show(tickets);
        // What the list shows for `theirs` now, and what the store holds now (a read created before the page's write runs before it).
        shown.push({ tickets: [...tickets], stored: db.tickets.get(theirs.id), screen: withPending(storedTheirs)?.priority });
        return settle;
      },
    });
    await engine.syncOnce();
    const storedTheirs = (await db.tickets.get(theirs.id)) as LocalTicket;
    await mutate(db, AGENT, 'ticket.setStatus', { ticketId: mine.id, status: 'pending' });
    // The screen learns which tickets are under a pending action from a live query (no read when a page comes).
    await vi.waitFor(() => expect(screen.shadowed().has(mine.id)).toBe(true));
    const from = (await getMeta<number>(db, META.cursor)) ?? 0;
    server.change(theirs.id, { priority: 'urgent' });
    server.change(mine.id, { priority: 'high' });

    engine.offer(await carried(from));
    await engine.whenIdle();
    screen.stop();
    expect(shown).toHaveLength(1);
    // Both tickets were offered; only the one no pending action shadows is on screen early (ours is rebased by the write).
    expect(shown[0]?.tickets.map((t) => t.id).sort()).toEqual([theirs.id, mine.id].sort());
    expect(withPending(await db.tickets.get(mine.id))).toMatchObject({ status: 'pending', priority: 'high' });
    expect(shown[0]?.screen).toBe('urgent');
    expect((await shown[0]?.stored)?.priority).toBe('normal');
    const now = await db.tickets.get(theirs.id);
    expect(now).toMatchObject({ priority: 'urgent' });
    expect(withPending(now)).toBe(now);
    expect(await db.tickets.get(mine.id)).toMatchObject({ status: 'pending', priority: 'high' });
  });
});
