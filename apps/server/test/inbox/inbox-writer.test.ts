import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { AcksWaiting } from '../../src/inbox/acks-waiting.ts';
import { InboxWriter } from '../../src/inbox/inbox-writer.ts';
import { onlySqlite } from '../support/test-db.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp(steadyWithinMs?: number) {
  const file = join(mkdtempSync(join(tmpdir(), 'desk-inbox-writer-')), 'desk.sqlite');
  const db = openDatabase(file);
  const raw = db.sqlite;
  if (!raw) throw new Error('SQLite expected');
  const waiting = new AcksWaiting();
  const writer = new InboxWriter(file, waiting, steadyWithinMs);
  cleanups.push(() => db.close(), () => writer.close());
  const count = () => (raw.prepare('SELECT COUNT(*) AS n FROM inbox').get() as { n: number }).n;
  return { raw, writer, waiting, count };
}

describe.skipIf(onlySqlite())("the webhooks' inbox writer (SQLite shared with the processing thread)", () => {
  it('stores the inserts of one turn, answering false for a redelivery', async () => {
    const { writer, count } = setUp();
    const answers = await Promise.all([
      writer.insert('telegram', 'm:telegram:1:1', '{}', '2026-11-30T14:00:00.000Z'),
      writer.insert('telegram', 'm:telegram:1:2', '{}', '2026-11-30T14:00:00.001Z'),
      writer.insert('telegram', 'm:telegram:1:1', '{}', '2026-11-30T14:00:00.002Z'),
    ]);
    expect(answers).toEqual([true, true, false]);
    expect(count()).toBe(2);
  });

  it('waits for another connection’s transaction without blocking the event loop, counted as waiting, then stores', async () => {
    const { raw, writer, waiting, count } = setUp();
    expect(writer.lockWaitSeconds).toBe(0);
    raw.exec('BEGIN IMMEDIATE');
    const heldFrom = performance.now();
    const stored = writer.insert('meta', 'm:whatsapp:wamid.1', '{}', '2026-11-30T14:00:00.000Z');
    // The event loop keeps turning (the poll runs) while the insert waits for the lock.
    await expect.poll(() => waiting.any()).toBe(true);
    expect(count()).toBe(0);
    // Held for a while: the wait is what /metrics reports (desk_inbox_insert_lock_wait_seconds_total).
    await expect.poll(() => performance.now() - heldFrom).toBeGreaterThan(50);
    raw.exec('COMMIT');
    await expect(stored).resolves.toBe(true);
    expect(waiting.any()).toBe(false);
    expect(count()).toBe(1);
    const waited = writer.lockWaitSeconds;
    expect(waited).toBeGreaterThan(0.03);
    expect(waited).toBeLessThan((performance.now() - heldFrom) / 1000 + 0.01);
    // Nothing waits any more: the total stays.
    await writer.insert('meta', 'm:whatsapp:wamid.2', '{}', '2026-11-30T14:00:00.001Z');
    expect(writer.lockWaitSeconds).toBe(waited);
  });

  it('lets the inserts of the next millisecond join a batch while events stream in, so they share its commit', async () => {
    // Any commit counts as recent here: the stream is steady from the first event on.
    const { writer, count } = setUp(60_000);
    await writer.insert('telegram', 'm:telegram:1:1', '{}', '2026-11-30T14:00:00.000Z');
    const second = writer.insert('telegram', 'm:telegram:1:2', '{}', '2026-11-30T14:00:00.001Z');
    const storedWithSecond = second.then(() => count());
    // A turn later (a lone event would have been committed by now) another arrives.
    await new Promise((resolve) => setImmediate(resolve));
    expect(count()).toBe(1);
    const third = writer.insert('telegram', 'm:telegram:1:3', '{}', '2026-11-30T14:00:00.002Z');
    await expect(Promise.all([second, third])).resolves.toEqual([true, true]);
    // Both were committed together.
    expect(await storedWithSecond).toBe(3);
  });
});
