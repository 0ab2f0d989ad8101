import 'fake-indexeddb/auto';
import type { Message } from '@desk/core';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskDb } from '../db.ts';
import { mutate } from '../outbox.ts';
import { ticketMessages } from '../queries.ts';
import { SyncEngine } from '../sync-engine.ts';
import { listRows } from '../ticket-data.ts';
import { FakeServer } from './fake-server.ts';

const AGENT = 'agent-ana';
let db: DeskDb;
let server: FakeServer;
let engine: SyncEngine;
let name: string;

beforeEach(async () => {
  name = `desk-test-${crypto.randomUUID()}`;
  db = new DeskDb(name);
  server = new FakeServer();
  engine = new SyncEngine({ db, agentId: AGENT, transport: server, backoff: { minMs: 5, maxMs: 20 }, isOffline: () => true });
});
afterEach(async () => {
  engine.stop();
  db.close();
  await DeskDb.delete(name);
});

const previewOf = async (ticketId: string) => (await listRows(db, [ticketId], AGENT)).get(ticketId)?.last?.text;

function message(ticketId: string, id: string, createdAt: string, text = id): Message {
  return { id, conversationId: `v-${ticketId}`, ticketId, authorKind: 'user', agentId: null, text, attachments: [], channelMessageId: null, delivery: null, createdAt };
}

describe("a list row's newest message", () => {
  it('follows pulled messages, the agent’s own reply and messages leaving', async () => {
    const ticket = server.addTicket();
    const first = server.addMessage(ticket.id, 'first');
    const second = server.addMessage(ticket.id, 'second');
    await engine.syncOnce();
    expect(await previewOf(ticket.id)).toBe('second');

    // The fake server's clock is years ahead of the agent's: the reply is the oldest message.
    await mutate(db, AGENT, 'ticket.reply', { ticketId: ticket.id, messageId: crypto.randomUUID(), text: 'my reply' });
    expect((await ticketMessages(db, ticket.id)).map((m) => m.text)).toEqual(['my reply', 'first', 'second']);
    expect(await previewOf(ticket.id)).toBe('second');

    // The newest one gone, the one before it shows; all gone, none shows.
    await db.messages.delete(second.id);
    expect(await previewOf(ticket.id)).toBe('first');
    await db.messages.bulkDelete([first.id]);
    expect(await previewOf(ticket.id)).toBe('my reply');
    await db.messages.where('[ticketId+createdAt]').between([ticket.id, Dexie.minKey], [ticket.id, Dexie.maxKey]).delete();
    expect(await previewOf(ticket.id)).toBeUndefined();
  });

  it('keeps the newest by time whatever order messages are written in, and goes with a cleared table', async () => {
    await db.tickets.put({ id: 't1', number: 1, subject: 'Help', status: 'open', priority: 'normal', tags: [], assigneeId: null, assignee: 'none', contactId: 'c1', channel: 'webchat', conversationId: 'v-t1', intentId: null, intentConfidence: null, createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z', solvedAt: null } as never);
    await db.messages.bulkPut([message('t1', 'b', '2030-01-01T00:00:02.000Z'), message('t1', 'a', '2030-01-01T00:00:03.000Z')]);
    await db.messages.put(message('t1', 'c', '2030-01-01T00:00:01.000Z'));
    expect(await previewOf('t1')).toBe('a');
    // The newest message rewritten (its text) stays the newest.
    await db.messages.put(message('t1', 'a', '2030-01-01T00:00:03.000Z', 'edited'));
    expect(await previewOf('t1')).toBe('edited');
    await db.messages.clear();
    expect(await db.lastMessages.count()).toBe(0);
  });

  it('is filled on upgrade from the messages a device already had', async () => {
    db.close();
    await DeskDb.delete(name);
    const before = new Dexie(name);
    before.version(2).stores({ messages: 'id, conversationId, [ticketId+createdAt]' });
    await before.table('messages').bulkPut([
      message('t1', 'm1', '2030-01-01T00:00:01.000Z'),
      message('t1', 'm2', '2030-01-01T00:00:02.000Z'),
      message('t2', 'm3', '2030-01-01T00:00:03.000Z'),
      { ...message('t3', 'm4', '2030-01-01T00:00:04.000Z'), ticketId: null },
    ]);
    before.close();
    db = new DeskDb(name);
    expect((await db.lastMessages.toArray()).map((m) => [m.ticketId, m.id])).toEqual([
      ['t1', 'm2'],
      ['t2', 'm3'],
    ]);
  });
});
