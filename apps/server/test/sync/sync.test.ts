import { randomUUID } from 'node:crypto';
import { StreamPoke, TicketRule } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncPull } from '../../src/sync/pull.ts';
import { POKE_ROWS_MAX } from '../../src/sync/stream-poke.ts';
import { compactLog, rotateEpoch } from '../../src/sync/sync-state.ts';
import { createTestDesk, type TestDesk } from '../support/test-app.ts';
import { pull, push, seedTicket } from './sync-helpers.ts';
import { rawRow } from '../support/raw-sql.ts';
import { signedInMember } from '../support/desk-fixture.ts';
import { SseReader } from '../support/sse-reader.ts';

let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(() => desk.close());

const clientId = 'client-aaaaaaaa';
const countMessages = async (id: string) => (await rawRow(desk.services.db, 'SELECT COUNT(*) AS n FROM messages WHERE id = ?', id) as { n: number }).n;

describe('POST /api/sync/push', () => {
  it('applies a replayed push once and answers the recorded results', async () => {
    const ticket = await seedTicket(desk);
    const messageId = randomUUID();
    const batch = [
      { id: 1, name: 'ticket.addTag', args: { ticketId: ticket.id, tag: 'VIP' } },
      { id: 2, name: 'ticket.reply', args: { ticketId: ticket.id, messageId, text: 'On it!' } },
      { id: 3, name: 'ticket.setPriority', args: { ticketId: ticket.id, priority: 'high' } },
    ];
    const first = await push(desk, clientId, batch);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const logSize = await desk.services.changes.latestSeq();

    const again = await push(desk, clientId, batch);
    expect(again.body.results).toEqual(first.body.results);
    expect(await desk.services.changes.latestSeq()).toBe(logSize);
    expect(await countMessages(messageId)).toBe(1);
    expect(await desk.services.tickets.get(ticket.id)).toMatchObject({ tags: ['vip'], priority: 'high' });

    // The same reply under a new mutation id (e.g. after a client reset) is still stored once.
    const retried = await push(desk, clientId, [{ id: 4, name: 'ticket.reply', args: { ticketId: ticket.id, messageId, text: 'On it!' } }]);
    expect(retried.body.results[0]?.status).toBe('applied');
    expect(await countMessages(messageId)).toBe(1);
  });

  it('takes an id with sync.skipId and changes nothing; a filler for an id already used gets that record', async () => {
    const ticket = await seedTicket(desk);
    // Id 1 reached the server (an early push whose commit the device lost); the device fills 1 and acts as 2.
    await push(desk, clientId, [{ id: 1, name: 'ticket.setPriority', args: { ticketId: ticket.id, priority: 'high' } }]);
    const logSize = await desk.services.changes.latestSeq();
    const fillers = await push(desk, clientId, [
      { id: 1, name: 'sync.skipId', args: {} },
      { id: 2, name: 'sync.skipId', args: {} },
    ]);
    expect(fillers.body.results).toEqual([
      { id: 1, status: 'applied' },
      { id: 2, status: 'applied' },
    ]);
    // The fillers wrote nothing but their ids.
    expect(await desk.services.changes.latestSeq()).toBe(logSize);
    const after = await push(desk, clientId, [{ id: 3, name: 'ticket.addTag', args: { ticketId: ticket.id, tag: 'after' } }]);
    expect(after.body.results).toEqual([{ id: 3, status: 'applied' }]);
    expect(await desk.services.tickets.get(ticket.id)).toMatchObject({ priority: 'high', tags: ['after'] });
    expect((await pull(desk, 0)).body.lastMutationIds[clientId]).toBe(3);
  });

  it('stops the batch at a gap', async () => {
    const ticket = await seedTicket(desk);
    const res = await push(desk, clientId, [
      { id: 1, name: 'ticket.addTag', args: { ticketId: ticket.id, tag: 'a' } },
      { id: 3, name: 'ticket.addTag', args: { ticketId: ticket.id, tag: 'c' } },
      { id: 4, name: 'ticket.addTag', args: { ticketId: ticket.id, tag: 'd' } },
    ]);
    expect(res.body.results).toEqual([{ id: 1, status: 'applied' }]);
    expect((await desk.services.tickets.get(ticket.id))?.tags).toEqual(['a']);
    const { body } = await pull(desk, 0);
    expect(body.lastMutationIds[clientId]).toBe(1);
  });

  it('records a rule-breaking mutation as rejected and keeps going', async () => {
    const ticket = await seedTicket(desk, { status: 'open' });
    const solved = await seedTicket(desk, { status: 'solved' });
    const res = await push(desk, clientId, [
      { id: 1, name: 'ticket.setStatus', args: { ticketId: ticket.id, status: 'new' } },
      { id: 2, name: 'ticket.reply', args: { ticketId: solved.id, messageId: randomUUID(), text: 'Hello?' } },
      { id: 3, name: 'ticket.setStatus', args: { ticketId: ticket.id, status: 'nonsense' } },
      { id: 4, name: 'ticket.setPriority', args: { ticketId: ticket.id, priority: 'urgent' } },
      { id: 5, name: 'ticket.addTag', args: { ticketId: randomUUID(), tag: 'x' } },
    ]);
    expect(res.body.results.map((r) => [r.id, r.status, r.error?.code])).toEqual([
      [1, 'rejected', 'rule_violated'],
      [2, 'rejected', 'rule_violated'],
      [3, 'rejected', 'invalid_input'],
      [4, 'applied', undefined],
      [5, 'rejected', 'not_found'],
    ]);
    expect(res.body.results[0]?.error?.rule).toBe(TicketRule.noReturnToNew);
    expect(res.body.results[1]?.error?.rule).toBe(TicketRule.replyNeedsActiveTicket);
    expect(await desk.services.tickets.get(ticket.id)).toMatchObject({ status: 'open', priority: 'urgent' });
    const replay = await push(desk, clientId, [{ id: 1, name: 'ticket.setStatus', args: { ticketId: ticket.id, status: 'new' } }]);
    expect(replay.body.results[0]).toEqual(res.body.results[0]);
  });

  it('assigning a new ticket opens it; tags are add/remove against the stored list', async () => {
    const ticket = await seedTicket(desk, { status: 'new' });
    await push(desk, 'client-one-aaaa', [{ id: 1, name: 'ticket.addTag', args: { ticketId: ticket.id, tag: 'one' } }]);
    await push(desk, 'client-two-bbbb', [{ id: 1, name: 'ticket.addTag', args: { ticketId: ticket.id, tag: 'two' } }], { token: desk.other.token });
    await push(desk, clientId, [
      { id: 1, name: 'ticket.assign', args: { ticketId: ticket.id, agentId: desk.agent.id } },
      { id: 2, name: 'ticket.removeTag', args: { ticketId: ticket.id, tag: 'one' } },
    ]);
    expect(await desk.services.tickets.get(ticket.id)).toMatchObject({ status: 'open', assigneeId: desk.agent.id, tags: ['two'] });
  });

  it("refuses another agent's client id and lets only admins write contacts", async () => {
    await seedTicket(desk);
    await push(desk, clientId, []);
    const ticket = await seedTicket(desk);
    await push(desk, clientId, [{ id: 1, name: 'ticket.markRead', args: { ticketId: ticket.id } }]);
    const stolen = await push(desk, clientId, [{ id: 2, name: 'ticket.markRead', args: { ticketId: ticket.id } }], { token: desk.other.token });
    expect(stolen.status).toBe(403);

    const contact = { id: randomUUID(), name: 'João', phone: '+55 11 91234-5678' };
    const byAgent = await push(desk, clientId, [{ id: 2, name: 'contact.create', args: contact }]);
    expect(byAgent.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    const byAdmin = await push(desk, 'admin-client-1', [
      { id: 1, name: 'contact.create', args: contact },
      { id: 2, name: 'contact.update', args: { id: contact.id, email: 'joao@example.com' } },
    ], { token: desk.admin.token });
    expect(byAdmin.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await desk.services.contacts.get(contact.id)).toMatchObject({ phone: '+5511912345678', email: 'joao@example.com' });
  });
});

describe('GET /api/sync/pull', () => {
  it('pages gap-free and in order, the latest state of each row once, without secrets', async () => {
    const tickets = [];
    for (let i = 0; i < 12; i++) tickets.push(await seedTicket(desk));
    await push(desk, clientId, tickets.slice(0, 5).map((t, i) => ({ id: i + 1, name: 'ticket.setPriority', args: { ticketId: t.id, priority: 'high' } })));

    const seen = new Map<string, unknown>();
    const seqs: number[] = [];
    let cursor = 0;
    let epoch: string | undefined;
    let pages = 0;
    for (;;) {
      const { status, body } = await pull(desk, cursor, { limit: 7, ...(epoch ? { epoch } : {}) });
      expect(status).toBe(200);
      pages += 1;
      for (const change of body.changes) {
        expect(change.seq).toBeGreaterThan(cursor);
        seqs.push(change.seq);
        const key = `${change.entity}:${change.id}`;
        expect(seen.has(key)).toBe(false);
        seen.set(key, change.data);
      }
      epoch = body.epoch;
      cursor = body.cursor;
      if (!body.hasMore) {
        expect(body.lastMutationIds[clientId]).toBe(5);
        break;
      }
      expect(body.changes).toHaveLength(7);
    }
    expect(pages).toBeGreaterThan(3);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(cursor).toBe(await desk.services.changes.latestSeq());
    for (const ticket of tickets) expect(seen.get(`ticket:${ticket.id}`)).toEqual(await desk.services.tickets.get(ticket.id));
    expect(seen.get(`agent:${desk.agent.id}`)).toMatchObject({ email: 'ana@test.local' });
    expect(JSON.stringify([...seen.values()])).not.toMatch(/password|hash/i);

    // Afterwards only what changed.
    await push(desk, clientId, [{ id: 6, name: 'ticket.setStatus', args: { ticketId: tickets[0]?.id, status: 'pending' } }]);
    const next = await pull(desk, cursor, { epoch: epoch as string });
    expect(next.body.changes.map((c) => [c.entity, c.id])).toContainEqual(['ticket', tickets[0]?.id]);
    expect(next.body.changes.every((c) => c.seq > cursor)).toBe(true);
  });

  it('shows read marks only to their agent', async () => {
    const ticket = await seedTicket(desk);
    await push(desk, clientId, [{ id: 1, name: 'ticket.markRead', args: { ticketId: ticket.id } }]);
    const mine = await pull(desk, 0);
    const theirs = await pull(desk, 0, { token: desk.other.token });
    expect(mine.body.changes.some((c) => c.entity === 'ticketRead')).toBe(true);
    expect(theirs.body.changes.some((c) => c.entity === 'ticketRead')).toBe(false);
    expect(theirs.body.lastMutationIds).toEqual({});
    expect(theirs.body.cursor).toBe(mine.body.cursor);
  });

  it('answers reset_required after a restore (new epoch), for a compacted cursor and for a cursor ahead of the log', async () => {
    await seedTicket(desk);
    const { body } = await pull(desk, 0);
    expect((await pull(desk, body.cursor, { epoch: body.epoch })).status).toBe(200);

    expect((await pull(desk, body.cursor + 50, { epoch: body.epoch })).body.error?.code).toBe('reset_required');

    await seedTicket(desk);
    await compactLog(desk.services.db, await desk.services.changes.latestSeq());
    const old = await pull(desk, 1, { epoch: body.epoch });
    expect(old.status).toBe(409);
    expect(old.body.error?.code).toBe('reset_required');

    await rotateEpoch(desk.services.db);
    const restored = await pull(desk, body.cursor, { epoch: body.epoch });
    expect(restored.status).toBe(409);
    expect(restored.body.error?.code).toBe('reset_required');
    const pushed = await push(desk, clientId, [], { epoch: body.epoch });
    expect(pushed.status).toBe(409);
    // Bootstrapping again works and carries the new epoch.
    const fresh = await pull(desk, 0);
    expect(fresh.status).toBe(200);
    expect(fresh.body.epoch).not.toBe(body.epoch);
  });
});

describe('GET /api/sync/stream', () => {
  it('pokes with the newest cursor after a commit and honours Last-Event-ID', async () => {
    const res = await desk.request('/api/sync/stream');
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}`);
        text += decoder.decode(value);
      }
    };
    await readUntil(/event: poke/);
    const ticket = await seedTicket(desk);
    const head = await desk.services.changes.latestSeq();
    await readUntil(new RegExp(`id: ${head}\\b`));
    expect(text).toContain(`"cursor":${head}`);
    await reader.cancel();

    await push(desk, clientId, [{ id: 1, name: 'ticket.addTag', args: { ticketId: ticket.id, tag: 'late' } }]);
    const resumed = await desk.request('/api/sync/stream', { headers: { 'last-event-id': String(head) } });
    const r2 = (resumed.body as ReadableStream<Uint8Array>).getReader();
    let t2 = '';
    while (!/event: poke/.test(t2)) t2 += decoder.decode((await r2.read()).value);
    expect(t2).toContain(`id: ${await desk.services.changes.latestSeq()}`);
    await r2.cancel();
  });

  it('carries a small change set in the poke itself, and only says "more" when it does not fit', async () => {
    const ticket = await seedTicket(desk);
    const start = await desk.services.changes.latestSeq();
    const res = await desk.request(`/api/sync/stream?cursor=${start}`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const nextPoke = async (): Promise<StreamPoke> => {
      for (;;) {
        const found = /event: poke\ndata: (.*)\n(?:id: \d+\n)?\n/.exec(text);
        if (found) {
          text = text.slice((found.index ?? 0) + found[0].length);
          return JSON.parse(found[1] as string) as StreamPoke;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value);
      }
    };
    await push(desk, clientId, [{ id: 1, name: 'ticket.setPriority', args: { ticketId: ticket.id, priority: 'urgent' } }]);
    const poke = await nextPoke();
    expect(poke).toMatchObject({ more: false, from: start, cursor: await desk.services.changes.latestSeq() });
    expect(poke.page?.changes.find((c) => c.entity === 'ticket' && c.id === ticket.id)?.data).toMatchObject({ priority: 'urgent' });
    expect(poke.page?.lastMutationIds[clientId]).toBe(1);

    // A change set past the limit (one commit): the poke only tells the client to pull.
    await desk.services.db.transaction(async () => {
      for (let i = 0; i < POKE_ROWS_MAX + 5; i++) await seedTicket(desk);
    });
    const big = await nextPoke();
    expect(big).toEqual({ cursor: await desk.services.changes.latestSeq(), more: true });
    await reader.cancel();
  });

  it("builds the pages it carries from this instance's commits, equal to a pull from the same cursor, without reading the log", async () => {
    const ticket = await seedTicket(desk);
    const other = await signedInMember(desk.services, 'Bia', 'bia@example.com', 'agent');
    const start = await desk.services.changes.latestSeq();
    const stream = new SseReader((await desk.request(`/api/sync/stream?cursor=${start}`)).body as ReadableStream<Uint8Array>);
    await stream.nextOf('hello');
    const nextPoke = async () => StreamPoke.parse(JSON.parse((await stream.nextOf('poke')).data));
    // The first poke of a stream reads the log (it learns the epoch and the client ids there).
    await push(desk, clientId, [{ id: 1, name: 'ticket.setPriority', args: { ticketId: ticket.id, priority: 'urgent' } }]);
    expect((await nextPoke()).more).toBe(false);

    const reads = vi.spyOn(SyncPull.prototype, 'pull');
    try {
      const steps = [
        () => push(desk, clientId, [
          { id: 2, name: 'ticket.addTag', args: { ticketId: ticket.id, tag: 'vip' } },
          { id: 3, name: 'ticket.note', args: { ticketId: ticket.id, messageId: randomUUID(), text: 'Call her back' } },
          { id: 4, name: 'ticket.markRead', args: { ticketId: ticket.id } },
        ]),
        // Another agent's read mark is not for us; their client's ids are not ours either.
        () => push(desk, 'client-bbbbbbbb', [{ id: 1, name: 'ticket.markRead', args: { ticketId: ticket.id } }], { token: other.token }),
        () => push(desk, clientId, [{ id: 5, name: 'ticket.removeTag', args: { ticketId: ticket.id, tag: 'vip' } }]),
      ];
      for (const step of steps) {
        const readsBefore = reads.mock.calls.length;
        expect((await step()).status).toBe(200);
        const poke = await nextPoke();
        expect(poke.more).toBe(false);
        expect(reads.mock.calls.length).toBe(readsBefore);
        const { body } = await pull(desk, poke.from as number);
        expect(poke.page).toEqual(body);
      }
      expect((await pull(desk, start)).body.lastMutationIds[clientId]).toBe(5);
    } finally {
      reads.mockRestore();
      await stream.cancel();
    }
  });

  it('pokes again for a commit that lands while it reads the log for the poke before', async () => {
    const ticket = await seedTicket(desk);
    const start = await desk.services.changes.latestSeq();
    const realPull = SyncPull.prototype.pull;
    let readTheLog = () => {};
    const logRead = new Promise<void>((resolve) => {
      readTheLog = resolve;
    });
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The stream's first poke reads the log (a pull); it is held after reading, as a slow database holds it.
    const spy = vi.spyOn(SyncPull.prototype, 'pull').mockImplementation(async function (this: SyncPull, agent, input) {
      const page = await realPull.call(this, agent, input);
      readTheLog();
      await released;
      return page;
    });
    const stream = new SseReader((await desk.request(`/api/sync/stream?cursor=${start}`)).body as ReadableStream<Uint8Array>);
    try {
      await stream.nextOf('hello');
      expect((await push(desk, clientId, [{ id: 1, name: 'ticket.setPriority', args: { ticketId: ticket.id, priority: 'urgent' } }])).status).toBe(200);
      await logRead;
      // Committed after that read and before its poke went out: the next poke must bring it.
      expect((await push(desk, clientId, [{ id: 2, name: 'ticket.addTag', args: { ticketId: ticket.id, tag: 'late' } }])).status).toBe(200);
      const head = await desk.services.changes.latestSeq();
      release();
      const first = StreamPoke.parse(JSON.parse((await stream.nextOf('poke')).data));
      expect(first.cursor).toBeLessThan(head);
      const second = StreamPoke.parse(JSON.parse((await stream.nextOf('poke')).data));
      expect(second.cursor).toBe(head);
      expect(second.page?.changes.find((c) => c.entity === 'ticket' && c.id === ticket.id)?.data).toMatchObject({ tags: ['late'] });
    } finally {
      spy.mockRestore();
      await stream.cancel();
    }
  });

  it('builds its pokes for the agent as they are now: a role changed mid-stream applies at once', async () => {
    const admin = await signedInMember(desk.services, 'Rui', 'rui@example.com', 'admin');
    const start = await desk.services.changes.latestSeq();
    const builtFor: string[] = [];
    const realPull = SyncPull.prototype.pull;
    const spy = vi.spyOn(SyncPull.prototype, 'pull').mockImplementation(function (this: SyncPull, agent, input) {
      if (agent.id === admin.id) builtFor.push(agent.role);
      return realPull.call(this, agent, input);
    });
    try {
      const res = await desk.request(`/api/sync/stream?cursor=${start}`, { token: admin.token });
      const stream = new SseReader(res.body as ReadableStream<Uint8Array>);
      await stream.nextOf('hello');
      const demoted = await desk.request(`/api/agents/${admin.id}`, { method: 'PATCH', token: desk.admin.token, json: { role: 'agent' } });
      expect(demoted.status).toBe(200);
      const poke = StreamPoke.parse(JSON.parse((await stream.nextOf('poke')).data));
      // The demotion itself is carried (the client learns its new role from it)…
      expect(poke.page?.changes.find((c) => c.entity === 'agent' && c.id === admin.id)?.data).toMatchObject({ role: 'agent' });
      // …and the poke was built for the agent as they are now, not as they were when the stream opened.
      expect(builtFor).toEqual(['agent']);
      await stream.cancel();
    } finally {
      spy.mockRestore();
    }
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await desk.request('/api/openapi.json', { token: null })).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/sync/pull', '/api/sync/push', '/api/sync/stream']));
  });
});
