/**
 * Fan-out latency between two instances through PostgreSQL LISTEN/NOTIFY: one bus publishes a
 * cursor, the time until the other bus's subscriber hears it; next to the machine's limit, a bare
 * `SELECT 1` round trip on a connection to the same cluster, measured in the same run.
 * Starts its own throwaway cluster (scripts/postgres) unless DESK_TEST_DATABASE_URL is set.
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:fanout      (POKES=1000)
 */
import pg from 'pg';
import { startThrowawayCluster, type ThrowawayCluster } from '../../../scripts/postgres/throwaway-cluster.mjs';
import { PostgresFanout } from '../src/fanout/postgres-fanout.ts';

const pokes = Number(process.env.POKES ?? 1000);
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? Number.NaN;

const cluster: ThrowawayCluster | null = process.env.DESK_TEST_DATABASE_URL ? null : await startThrowawayCluster();
const url = process.env.DESK_TEST_DATABASE_URL ?? (cluster as ThrowawayCluster).url;
const one = new PostgresFanout({ connectionString: url });
const two = new PostgresFanout({ connectionString: url });
const bare = new pg.Client({ connectionString: url });
try {
  await Promise.all([one.start(), two.start(), bare.connect()]);
  const roundTrips: number[] = [];
  for (let i = 0; i < pokes; i++) {
    const t0 = performance.now();
    await bare.query('SELECT 1');
    roundTrips.push(performance.now() - t0);
  }
  const latencies: number[] = [];
  let waiting: ((payload: string) => void) | null = null;
  two.subscribe('sync', (poke) => {
    if (poke.kind === 'published') waiting?.(poke.payload);
  });
  for (let i = 0; i < pokes; i++) {
    const heard = new Promise<string>((resolve) => {
      waiting = resolve;
    });
    const t0 = performance.now();
    one.publish('sync', String(i));
    if ((await heard) !== String(i)) throw new Error('pokes arrived out of order');
    latencies.push(performance.now() - t0);
  }
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  console.log(`Fan-out through PostgreSQL LISTEN/NOTIFY, ${pokes} pokes one after another (${process.platform}, Node ${process.version})`);
  console.log(`  SELECT 1 round trip (baseline):   p50 ${ms(percentile(roundTrips, 0.5))}  p99 ${ms(percentile(roundTrips, 0.99))}`);
  console.log(
    `  publish on A → heard on B:        p50 ${ms(percentile(latencies, 0.5))}  p99 ${ms(percentile(latencies, 0.99))}  ` +
      `(${(percentile(latencies, 0.5) / percentile(roundTrips, 0.5)).toFixed(1)}× the round trip at p50)`,
  );
} finally {
  await Promise.all([one.close(), two.close(), bare.end()]);
  await cluster?.stop();
}
