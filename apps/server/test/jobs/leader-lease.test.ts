import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeaderLease } from '../../src/jobs/leader-lease.ts';
import { createTestDesk, type TestDesk } from '../support/desk-fixture.ts';
import { rawRow } from '../support/raw-sql.ts';

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk();
});
afterEach(() => t.close());

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

describe('the inbox processor’s leader lease', () => {
  it('keeps the work to one instance, renews it without a write before every batch, and lets another take over once it ran out', async () => {
    const { db } = t.services;
    const until = async () => (await rawRow<{ until: string }>(db, "SELECT until FROM job_leases WHERE name = 'test-lease'"))?.until;
    const first = new LeaderLease(db, 'test-lease', 30_000, 'first');
    const second = new LeaderLease(db, 'test-lease', 30_000, 'second');

    expect(await first.hold(T0)).toBe(true);
    expect(await until()).toBe(at(30_000));
    expect(await second.hold(T0 + 1_000)).toBe(false);
    // Within a third of the lease the holder knows it still holds it: nothing is written.
    expect(await first.hold(T0 + 9_000)).toBe(true);
    expect(await until()).toBe(at(30_000));
    // Later it renews.
    expect(await first.hold(T0 + 11_000)).toBe(true);
    expect(await until()).toBe(at(41_000));

    // The holder stops (it died): the other instance waits for the lease to run out, then takes over.
    expect(await second.hold(T0 + 40_000)).toBe(false);
    expect(await second.hold(T0 + 41_001)).toBe(true);
    // And the old holder, asking again, no longer has it.
    expect(await first.hold(T0 + 41_002)).toBe(false);
  });
});
