import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FanoutPoke } from '../../src/fanout/fanout-bus.ts';
import { type FanoutConnectionState, PostgresFanout } from '../../src/fanout/postgres-fanout.ts';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/test-database.ts';

let database: TestDatabase;
beforeAll(async () => {
  if (postgresUrl()) database = await createTestDatabase('fanout');
});
afterAll(() => database?.drop());

const buses: PostgresFanout[] = [];
afterEach(async () => {
  await database?.allowConnections(true);
  for (const bus of buses.splice(0)) await bus.close();
});

/** One Desk instance's bus, listening. */
async function instance(): Promise<PostgresFanout> {
  const bus = new PostgresFanout({ connectionString: database.url, retryFirstMs: 20, retryMaxMs: 200 });
  buses.push(bus);
  await bus.start();
  return bus;
}

/** What a subscriber hears, with a way to wait for the next matching poke. */
function heard(bus: PostgresFanout, topic: 'sync' | 'webchat') {
  const pokes: FanoutPoke[] = [];
  const waiters = new Set<() => void>();
  bus.subscribe(topic, (poke) => {
    pokes.push(poke);
    for (const wake of [...waiters]) wake();
  });
  return {
    pokes,
    async next(match: (poke: FanoutPoke) => boolean): Promise<FanoutPoke> {
      let from = 0;
      for (;;) {
        const found = pokes.slice(from).find(match);
        if (found) return found;
        from = pokes.length;
        await new Promise<void>((resolve) => waiters.add(resolve));
      }
    },
  };
}

function state(bus: PostgresFanout, wanted: FanoutConnectionState): Promise<void> {
  if (bus.connectionState === wanted) return Promise.resolve();
  return new Promise((resolve) => {
    const off = bus.onState((now) => {
      if (now !== wanted) return;
      off();
      resolve();
    });
  });
}

describe.skipIf(!postgresUrl())('the PostgreSQL fan-out bus (LISTEN/NOTIFY)', () => {
  it('carries a burst of pokes in order, one query at a time on its connection', async () => {
    const [one, two] = [await instance(), await instance()];
    const onTwo = heard(two, 'sync');
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      for (let cursor = 1; cursor <= 200; cursor += 1) one.publish('sync', String(cursor));
      await onTwo.next((poke) => poke.kind === 'published' && poke.payload === '200');
    } finally {
      process.off('warning', onWarning);
    }
    const payloads = onTwo.pokes.flatMap((poke) => (poke.kind === 'published' ? [poke.payload] : []));
    expect(payloads).toEqual(Array.from({ length: 200 }, (_, i) => String(i + 1)));
    expect(warnings.filter((message) => message.includes('already executing a query'))).toEqual([]);
  });

  it("carries one instance's pokes to another, and to its own subscribers at once, once each", async () => {
    const [one, two] = [await instance(), await instance()];
    const onOne = heard(one, 'sync');
    const onTwo = heard(two, 'sync');
    const webchatOnTwo = heard(two, 'webchat');

    one.publish('sync', '42');
    expect(onOne.pokes).toEqual([{ kind: 'published', payload: '42', origin: 'here' }]);
    expect(await onTwo.next(() => true)).toEqual({ kind: 'published', payload: '42', origin: 'elsewhere' });

    two.publish('webchat', 'visitor-7');
    two.publish('sync', '43');
    expect(await onOne.next((poke) => poke.kind === 'published' && poke.payload === '43')).toEqual({
      kind: 'published',
      payload: '43',
      origin: 'elsewhere',
    });
    // NOTIFY comes back to the connection that sent it too: the bus must not deliver it twice.
    expect(onTwo.pokes.filter((poke) => poke.kind === 'published' && poke.payload === '43')).toHaveLength(1);
    expect(webchatOnTwo.pokes).toEqual([{ kind: 'published', payload: 'visitor-7', origin: 'here' }]);
  });

  it('refuses a payload NOTIFY could not carry: cursors and ids, never data', async () => {
    const one = await instance();
    expect(() => one.publish('sync', 'x'.repeat(8_000))).toThrow(RangeError);
  });

  it('reconnects after its connection is killed, and then every side catches up on what it missed', async () => {
    const [one, two] = [await instance(), await instance()];
    const onOne = heard(one, 'sync');
    const onTwo = heard(two, 'sync');

    // Keep instance one away for a while: its connection killed, new connections refused.
    await database.allowConnections(false);
    const lost = state(one, 'connecting');
    expect(await database.terminate(one.applicationName)).toBe(1);
    await lost;

    two.publish('sync', '100'); // never reaches instance one
    one.publish('sync', '101'); // never reaches instance two
    expect(onOne.pokes).toEqual([{ kind: 'published', payload: '101', origin: 'here' }]);

    const back = state(one, 'listening');
    await database.allowConnections(true);
    await back;
    // Instance one's streams look for themselves (what two published meanwhile is in the database).
    expect(await onOne.next((poke) => poke.kind === 'catch-up')).toEqual({ kind: 'catch-up' });
    // Instance two is told that one's pokes may be lost.
    expect(await onTwo.next((poke) => poke.kind === 'catch-up')).toEqual({ kind: 'catch-up' });

    // And the bus works as before.
    two.publish('sync', '102');
    expect(await onOne.next((poke) => poke.kind === 'published' && poke.payload === '102')).toMatchObject({ origin: 'elsewhere' });
  });
});
