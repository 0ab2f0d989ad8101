import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxRepo } from '../../src/conversations/outbox-repo.ts';
import { leaseFor } from '../../src/jobs/job-lease.ts';
import { LeaderLease } from '../../src/jobs/leader-lease.ts';
import type { Services } from '../../src/services.ts';
import { databaseTime } from '../../src/shared/database-time.ts';
import { openTestServices } from '../support/desk-fixture.ts';
import { removeTestData, testDialect } from '../support/test-db.ts';

/**
 * Leases (job claims, the inbox processor's) are written by one instance and compared by another:
 * an instance whose clock runs ahead (a skewed host, or the old per-stamp clock under load) would
 * take a live instance's work. On PostgreSQL every instance compares on the database's time; on
 * SQLite the one process's wall clock is the only clock.
 */
let services: Services;
let dataDir: string;

beforeEach(async () => {
  ({ services, dataDir } = await openTestServices({ prefix: 'desk-lease-' }));
});
afterEach(async () => {
  await services.db.close();
  await removeTestData(dataDir);
});

const LEASE_MS = 15_000;
const MINUTE_AHEAD = () => Date.now() + 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** One outbound message queued for delivery. */
async function queuedMessage(): Promise<string> {
  const externalId = `lease-${Math.random().toString(36).slice(2)}`;
  const contact = await services.contacts.create({ name: 'Lease' }, { channel: 'telegram', externalId });
  const conversation = await services.conversations.create({ contactId: contact.id, channel: 'telegram', externalId });
  const { message } = await services.messages.append({ conversationId: conversation.id, channel: 'telegram', ticketId: null, authorKind: 'bot', text: 'hi' });
  await new OutboxRepo(services.db).enqueue(message, conversation, services.clock());
  return message.id;
}

describe('the time leases are taken and compared on', () => {
  it.skipIf(testDialect() !== 'postgres')(
    "PostgreSQL: an instance whose clock runs a minute ahead does not take a live instance's delivery or the inbox processor",
    async () => {
      const db = services.db;
      const messageId = await queuedMessage();
      const instanceA = await databaseTime(db);
      const instanceB = await databaseTime(db, MINUTE_AHEAD);
      // B's own clock says a minute later; the time it compares leases on is the database's.
      expect(Math.abs(instanceB() - Date.now())).toBeLessThan(1_000);

      const outbox = new OutboxRepo(db);
      const claimed = await outbox.claim(iso(instanceA()), 10, leaseFor(LEASE_MS, 'instance-a'));
      expect(claimed.map((row) => row.message_id)).toEqual([messageId]);
      expect(await outbox.claim(iso(instanceB()), 10, leaseFor(LEASE_MS, 'instance-b'))).toEqual([]);
      const processorA = new LeaderLease(db, 'inbox-processor', LEASE_MS, 'instance-a', instanceA);
      const processorB = new LeaderLease(db, 'inbox-processor', LEASE_MS, 'instance-b', instanceB);
      expect(await processorA.hold()).toBe(true);
      expect(await processorB.hold()).toBe(false);

      // A died: once its lease has run out (on the database's time), B takes the delivery over.
      const retaken = await outbox.claim(iso(instanceB() + LEASE_MS + 1), 10, leaseFor(LEASE_MS, 'instance-b'));
      expect(retaken.map((row) => row.lease_owner)).toEqual(['instance-b']);
      // What the skew would have done on B's own clock: the inbox processor taken from a live A.
      expect(await new LeaderLease(db, 'inbox-processor', LEASE_MS, 'instance-b', MINUTE_AHEAD).hold()).toBe(true);
    },
  );

  it.skipIf(testDialect() !== 'sqlite')("SQLite: one process's wall clock; a lease is taken again only once it has run out", async () => {
    const db = services.db;
    const messageId = await queuedMessage();
    // One process uses the file: its own clock is the time (no offset to measure).
    expect(await databaseTime(db, MINUTE_AHEAD)).toBe(MINUTE_AHEAD);
    const now = await databaseTime(db);
    const outbox = new OutboxRepo(db);
    expect((await outbox.claim(iso(now()), 10, leaseFor(LEASE_MS, 'worker-a'))).map((row) => row.message_id)).toEqual([messageId]);
    expect(await outbox.claim(iso(now()), 10, leaseFor(LEASE_MS, 'worker-b'))).toEqual([]);
    expect((await outbox.claim(iso(now() + LEASE_MS + 1), 10, leaseFor(LEASE_MS, 'worker-b'))).map((row) => row.lease_owner)).toEqual(['worker-b']);
    expect(await new LeaderLease(db, 'inbox-processor', LEASE_MS, 'thread-a', now).hold()).toBe(true);
    expect(await new LeaderLease(db, 'inbox-processor', LEASE_MS, 'thread-b', now).hold()).toBe(false);
    expect(await new LeaderLease(db, 'inbox-processor', LEASE_MS, 'thread-b', () => now() + LEASE_MS + 1).hold()).toBe(true);
  });
});
