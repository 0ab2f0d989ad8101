import { randomUUID } from 'node:crypto';
import type { SnapshotResponse, Ticket } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDesk, type TestDesk } from '../support/test-app.ts';
import { pull, push, seedTicket } from './sync-helpers.ts';

let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(() => desk.close());

async function snapshot(query: string): Promise<{ status: number; body: SnapshotResponse }> {
  const res = await desk.request(`/api/sync/snapshot?${query}`);
  return { status: res.status, body: (await res.json()) as SnapshotResponse };
}

describe('GET /api/sync/snapshot', () => {
  it('serves tickets newest-updated first in pages, then the rest, and the same rows a bootstrap pull has', async () => {
    const tickets = [await seedTicket(desk), await seedTicket(desk), await seedTicket(desk), await seedTicket(desk), await seedTicket(desk)];
    // The oldest ticket changes last: it must come first.
    await push(desk, 'client-aaaaaaaa', [{ id: 1, name: 'ticket.setPriority', args: { ticketId: (tickets[0] as Ticket).id, priority: 'high' } }]);
    const seen: Ticket[] = [];
    let after: string | null = null;
    let head = -1;
    do {
      const { status, body } = await snapshot(`part=ticket&limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(status).toBe(200);
      expect(body.changes.length).toBeLessThanOrEqual(2);
      if (head < 0) head = body.head;
      seen.push(...body.changes.map((c) => c.data as Ticket));
      after = body.next;
    } while (after);
    expect(seen[0]?.id).toBe((tickets[0] as Ticket).id);
    expect(seen.map((t) => t.updatedAt)).toEqual([...seen.map((t) => t.updatedAt)].sort().reverse());
    const boot = await pull(desk, 0, { limit: 5000 });
    const pulledTickets = boot.body.changes.filter((c) => c.entity === 'ticket').map((c) => c.data);
    expect(new Set(seen.map((t) => JSON.stringify(t)))).toEqual(new Set(pulledTickets.map((t) => JSON.stringify(t))));
    expect(head).toBe(await desk.services.changes.latestSeq());

    const other = await snapshot('part=other&limit=5000');
    const bootOthers = boot.body.changes.filter((c) => c.entity !== 'ticket' && c.entity !== 'message');
    expect(new Set(other.body.changes.map((c) => `${c.entity}:${c.id}`))).toEqual(new Set(bootOthers.map((c) => `${c.entity}:${c.id}`)));
    expect(other.body.changes.filter((c) => c.entity === 'contact')).toHaveLength(5);
  });

  it("serves one ticket's messages at once, and all messages newest first", async () => {
    const ticket = await seedTicket(desk);
    const other = await seedTicket(desk);
    const replies = [randomUUID(), randomUUID()];
    await push(desk, 'client-aaaaaaaa', [
      { id: 1, name: 'ticket.reply', args: { ticketId: ticket.id, messageId: replies[0], text: 'First' } },
      { id: 2, name: 'ticket.reply', args: { ticketId: other.id, messageId: randomUUID(), text: 'Elsewhere' } },
      { id: 3, name: 'ticket.reply', args: { ticketId: ticket.id, messageId: replies[1], text: 'Second' } },
    ]);
    const one = await snapshot(`part=message&ticketId=${ticket.id}`);
    expect(one.body.changes.map((c) => c.id).sort()).toEqual([...replies].sort());
    const all = await snapshot('part=message&limit=2');
    expect(all.body.changes.map((c) => (c.data as { text: string }).text)).toEqual(['Second', 'Elsewhere']);
    const rest = await snapshot(`part=message&limit=2&after=${all.body.next}`);
    expect(rest.body.changes.map((c) => (c.data as { text: string }).text)).toEqual(['First']);
    expect(rest.body.next).toBeNull();
  });

  it('answers 400 for a position it never gave, and 401 without a session', async () => {
    const bad = await desk.request('/api/sync/snapshot?part=ticket&after=nonsense');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    const anonymous = await desk.request('/api/sync/snapshot?part=ticket', { token: null });
    expect(anonymous.status).toBe(401);
  });
});
