import 'fake-indexeddb/auto';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '@desk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskDb, type LocalTicket } from '../db.ts';
import { type TicketIdQuery, ticketIds, ticketIdsByScan } from '../ticket-ids.ts';

// The index-range answer must equal the every-key scan for every query shape.
let db: DeskDb;
const name = `desk-ids-${crypto.randomUUID()}`;
const agents = ['a1', 'a2', 'a3', 'none'];
let seed = 1;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const some = <T>(list: readonly T[]): T[] => list.filter(() => random() < 0.35);

beforeAll(async () => {
  db = new DeskDb(name);
  const tickets = Array.from({ length: 600 }, (_, i): LocalTicket => {
    const assignee = pick(agents);
    return {
      id: `t${String(i).padStart(4, '0')}`,
      number: i + 1,
      subject: `Ticket ${i}`,
      status: pick(TICKET_STATUSES),
      priority: pick(TICKET_PRIORITIES),
      tags: [],
      assigneeId: assignee === 'none' ? null : assignee,
      assignee,
      contactId: 'c1',
      channel: 'webchat',
      conversationId: `conv${i}`,
      intentId: null,
      intentConfidence: null,
      createdAt: '2025-01-01T00:00:00.000Z',
      // Few distinct times, so ties (ordered by id) are exercised.
      updatedAt: `2025-01-${String(1 + Math.floor(random() * 9)).padStart(2, '0')}T00:00:00.000Z`,
      solvedAt: null,
    };
  });
  await db.tickets.bulkPut(tickets);
});
afterAll(async () => {
  db.close();
  await DeskDb.delete(name);
});

describe('ticketIds', () => {
  it('answers what the full scan answers, for every filter shape', async () => {
    for (let i = 0; i < 120; i++) {
      const query: TicketIdQuery = {
        statuses: i % 3 === 0 ? [pick(TICKET_STATUSES)] : (some(TICKET_STATUSES) as TicketStatus[]),
        priorities: i % 4 === 0 ? [pick(TICKET_PRIORITIES)] : (some(TICKET_PRIORITIES) as TicketPriority[]),
        assignees: i % 5 === 0 ? [pick(agents)] : some(agents),
        matching: null,
        newestFirst: i % 2 === 0,
      };
      expect(await ticketIds(db, query), JSON.stringify(query)).toEqual(await ticketIdsByScan(db, query));
    }
  }, 30_000); // 120 queries over 6,000 rows in fake IndexedDB: ~2 s alone, several times that on a shared, loaded CPU

  it('falls back to the scan under a text search', async () => {
    const query: TicketIdQuery = { statuses: [], priorities: [], assignees: [], matching: new Set(['t0001', 't0002', 'nope']), newestFirst: true };
    expect(await ticketIds(db, query)).toEqual(await ticketIdsByScan(db, query));
  });
});
