import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContactsRepo } from '../../src/contacts/contacts-repo.ts';
import { ConversationsRepo } from '../../src/conversations/conversations-repo.ts';
import { MessagesRepo } from '../../src/conversations/messages-repo.ts';
import { OutboxRepo, type OutboxRow } from '../../src/conversations/outbox-repo.ts';
import { type Database, openPostgres } from '../../src/db/database.ts';
import { leaseFor } from '../../src/jobs/job-lease.ts';
import { monotonicClock } from '../../src/shared/clock.ts';
import { ChangeFeed } from '../../src/sync/change-feed.ts';
import { openTestDatabase, removeTestData } from '../support/test-db.ts';
import { postgresUrl } from '../support/test-database.ts';

/** Two instances (two pools) on one database claim outbox rows side by side. */
let dataDir: string;
let one: Database;
let two: Database;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'desk-claims-'));
  one = await openTestDatabase(dataDir, join(dataDir, 'unused.sqlite'));
  two = await openPostgres(readFileSync(join(dataDir, 'postgres-test-url'), 'utf8').trim(), { max: 4 });
});
afterEach(async () => {
  await one.close();
  await two.close();
  await removeTestData(dataDir);
});

/** `conversations` conversations with `perConversation` outbound messages each, queued. */
async function queue(conversations: number, perConversation: number): Promise<string[][]> {
  const clock = monotonicClock();
  const changes = new ChangeFeed(one);
  const contacts = new ContactsRepo(one, changes, clock);
  const convos = new ConversationsRepo(one, clock);
  const messages = new MessagesRepo(one, changes, clock);
  const outbox = new OutboxRepo(one);
  const ids: string[][] = [];
  for (let c = 0; c < conversations; c++) {
    await one.transaction(async () => {
      const externalId = randomUUID();
      const contact = await contacts.create({ name: `User ${c}` }, { channel: 'telegram', externalId });
      const conversation = await convos.create({ contactId: contact.id, channel: 'telegram', externalId });
      const list: string[] = [];
      for (let m = 0; m < perConversation; m++) {
        const { message } = await messages.append({ conversationId: conversation.id, channel: 'telegram', ticketId: null, authorKind: 'bot', text: `m${m}` });
        await outbox.enqueue(message, conversation, clock());
        list.push(message.id);
      }
      ids.push(list);
    });
  }
  return ids;
}

describe.skipIf(!postgresUrl() || process.env.DESK_TEST_DB !== 'postgres')('jobs claimed by several instances (FOR UPDATE SKIP LOCKED and leases)', () => {
  it('never gives the same row to two instances, and only the first pending message of each conversation', async () => {
    const queued = await queue(30, 2);
    const now = new Date(Date.now() + 1000).toISOString();
    const [a, b] = await Promise.all([
      new OutboxRepo(one).claim(now, 20, leaseFor(60_000, 'instance-one')),
      new OutboxRepo(two).claim(now, 20, leaseFor(60_000, 'instance-two')),
    ]);
    const claimed = [...a, ...b].map((row) => row.message_id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.length).toBe(30);
    expect(claimed.sort()).toEqual(queued.map((list) => list[0] as string).sort());
    // Nothing is left for a third claim while the leases hold: the second messages wait behind the first.
    expect(await new OutboxRepo(two).claim(now, 50, leaseFor(60_000, 'instance-two'))).toEqual([]);
  });

  it('hands a conversation’s next message to the instance that sent the one before it, never to another instance as well', async () => {
    const queued = await queue(20, 3);
    const now = () => new Date(Date.now() + 1000).toISOString();
    const lease = leaseFor(60_000, 'instance-one');
    const sender = new OutboxRepo(one);
    const first = await sender.claim(now(), 50, lease);
    expect(first).toHaveLength(20);
    // Instance two claims all along while instance one marks its rows sent, each in its own transaction.
    const rival = new OutboxRepo(two);
    const rivalClaims: OutboxRow[] = [];
    let marking = true;
    const claiming = (async () => {
      while (marking) rivalClaims.push(...(await rival.claim(now(), 50, leaseFor(60_000, 'instance-two'))));
    })();
    const handed: OutboxRow[] = [];
    for (const row of first) {
      const after = await one.transaction(() => sender.markSent(row, 1, now(), lease));
      if (after.next) handed.push(after.next);
    }
    marking = false;
    await claiming;
    // Each second message went to instance one with its predecessor's mark; the third ones wait behind them.
    expect(handed.map((row) => row.message_id).sort()).toEqual(queued.map((list) => list[1]).sort());
    expect(new Set(handed.map((row) => row.lease_owner))).toEqual(new Set(['instance-one']));
    expect(rivalClaims).toEqual([]);
  });

  it("takes over a dead instance's rows once their lease has run out, and not before", async () => {
    const queued = await queue(3, 1);
    const now = Date.now() + 1000;
    const taken = await new OutboxRepo(one).claim(new Date(now).toISOString(), 10, leaseFor(5_000, 'instance-one'));
    expect(taken).toHaveLength(3);
    // Instance one dies here without recording any outcome.
    const survivor = new OutboxRepo(two);
    expect(await survivor.claim(new Date(now + 4_000).toISOString(), 10, leaseFor(5_000, 'instance-two'))).toEqual([]);
    const retaken = await survivor.claim(new Date(now + 5_001).toISOString(), 10, leaseFor(5_000, 'instance-two'));
    expect(retaken.map((r) => r.message_id).sort()).toEqual(queued.map((list) => list[0]).sort());
    expect(new Set(retaken.map((r) => r.lease_owner))).toEqual(new Set(['instance-two']));
    // Recording the outcome ends the lease: the row is not claimed again.
    for (const row of retaken) await survivor.markSent(row, 1, new Date(now + 5_002).toISOString(), null);
    expect(await survivor.claim(new Date(now + 60_000).toISOString(), 10, leaseFor(5_000, 'instance-two'))).toEqual([]);
  });
});
