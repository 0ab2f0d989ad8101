/**
 * bench:reports — the Reports page's figures over 100,000 tickets and 1,000,000 messages spread over
 * 90 days, on SQLite and on PostgreSQL, each against a bare `SELECT count(*)` over the same tables on
 * the same database in the same run (the machine's floor for touching that data once).
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:reports [-- --tickets=100000 --messages=1000000]
 *
 * Seeds a temporary SQLite file (support/report-seed.ts), copies it into PostgreSQL with
 * `migrate-to-postgres`'s own code, then times buildReport (the whole page: every figure, the three
 * charts' data) for 7, 30 and 90 days, all channels and filtered, as an admin; median of 15 runs.
 *
 * PostgreSQL: DATABASE_URL=postgres://… names an empty database to use; otherwise a throwaway
 * PostgreSQL cluster is started (the tests' scripts/postgres/throwaway-cluster.mjs) and removed at the
 * end. `--sqlite-only` skips PostgreSQL. BENCH_REPORTS_DIR=<a directory of its own> keeps the seeded
 * SQLite file there and reuses it the same day (profiling).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportQuery } from '@desk/core';
import { sql } from 'kysely';
import pg from 'pg';
import { findPostgresBin, startThrowawayCluster } from '../../../scripts/postgres/throwaway-cluster.mjs';
import { type Database, openDatabase, openPostgres } from '../src/db/database.ts';
import { migrateToPostgres } from '../src/db/migrate-to-postgres.ts';
import { buildReport } from '../src/reports/report-queries.ts';
import { writeReportSettings } from '../src/reports/report-settings.ts';
import { seedReportData } from './support/report-seed.ts';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const TICKETS = arg('tickets', 100_000);
const MESSAGES = arg('messages', 1_000_000);
const DAYS = 90;
const RUNS = 15;

// The workspace counts its days in São Paulo time (the recorder's daily roll-ups follow the setting).
const settings = { timeZone: 'America/Sao_Paulo', missesRetentionDays: 90 };
// A kept database (BENCH_REPORTS_DIR) holds 90 days back from when it was seeded: reuse it the same day.
const now = Date.now();

const kept = process.env.BENCH_REPORTS_DIR ? join(process.env.BENCH_REPORTS_DIR, 'desk.sqlite') : undefined;
const dir = kept ? null : mkdtempSync(join(tmpdir(), 'desk-bench-reports-'));
const sqliteFile = kept ?? join(dir as string, 'desk.sqlite');
const reuse = kept !== undefined && existsSync(kept);

const sqlite = openDatabase(sqliteFile);
if (!reuse) {
  const began = performance.now();
  await writeReportSettings(sqlite, settings);
  await seedReportData(sqlite, { tickets: TICKETS, messages: MESSAGES, days: DAYS, intents: 12, agents: 10, now });
  console.log(`seeded in ${((performance.now() - began) / 1000).toFixed(1)} s`);
}
const counts = await sql<Record<string, number>>`SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM report_daily) AS daily, (SELECT count(*) FROM report_hourly) AS hourly`.execute(sqlite.q);
const c = counts.rows[0] as Record<string, number>;
console.log(`data: ${c.tickets} tickets, ${c.messages} messages over ${DAYS} days (${c.hourly} hourly and ${c.daily} daily roll-up rows)`);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
/** Median wall time of a run, and this process's CPU time per run (less swayed by a loaded machine). */
async function time(work: () => Promise<unknown>): Promise<number> {
  return (await timeWithCpu(work)).ms;
}
async function timeWithCpu(work: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  await work(); // warm the statement cache and the page cache
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < RUNS; i += 1) {
    const t0 = performance.now();
    await work();
    samples.push(performance.now() - t0);
  }
  const used = process.cpuUsage(cpu);
  return { ms: median(samples), cpuMs: (used.user + used.system) / 1000 / RUNS };
}

const today = new Date(now).toISOString().slice(0, 10);
const ninetyAgo = new Date(now - 89 * 86_400_000).toISOString().slice(0, 10);
const cases: [string, ReportQuery][] = [
  ['7 days', { range: '7d' }],
  ['30 days', { range: '30d' }],
  ['30 days, one channel', { range: '30d', channel: 'whatsapp' }],
  ['30 days, one intent', { range: '30d', intentId: 'intent-3' }],
  ['90 days (custom)', { range: 'custom', from: ninetyAgo, to: today }],
];

/** Times the page's figures on one database next to its own bare count; answers the worst ratio. */
async function measure(name: string, db: Database): Promise<{ baseline: number; worst: number }> {
  const baseline = await time(() => sql`SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM tickets) AS n`.execute(db.q));
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`\n${name} (load average ${load})`);
  console.log(`  baseline: SELECT count(*) over messages + tickets: ${baseline.toFixed(1)} ms (median of ${RUNS})`);
  console.log('  page figures (buildReport, admin)          median ms   × baseline   goal ≤ 300 ms   Desk process CPU ms/run');
  let worst = 0;
  for (const [label, query] of cases) {
    const { ms, cpuMs } = await timeWithCpu(() => buildReport(db, query, { id: 'admin', role: 'admin' }, settings, now));
    worst = Math.max(worst, ms);
    console.log(`    ${label.padEnd(40)} ${ms.toFixed(1).padStart(9)} ${(ms / baseline).toFixed(2).padStart(11)}   ${(ms <= 300 ? 'ok' : 'OVER').padEnd(14)} ${cpuMs.toFixed(1).padStart(6)}`);
  }
  console.log(`  worst case ${worst.toFixed(1)} ms = ${(worst / baseline).toFixed(2)} × the bare count`);
  return { baseline, worst };
}

let cluster: { url: string; stop: () => Promise<void> } | null = null;
try {
  await measure('SQLite', sqlite);
  await sqlite.close();

  if (!process.argv.includes('--sqlite-only')) {
    let url = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
    if (!url) {
      if (!findPostgresBin()) throw new Error('No PostgreSQL binaries (apt-get install -y postgresql), and no DATABASE_URL: run with --sqlite-only.');
      cluster = await startThrowawayCluster();
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query('CREATE DATABASE desk_bench_reports');
      await admin.end();
      const target = new URL(cluster.url);
      target.pathname = '/desk_bench_reports';
      url = target.toString();
    }
    const copied = await migrateToPostgres(sqliteFile, url);
    console.log(`\ncopied into PostgreSQL in ${(copied.ms / 1000).toFixed(1)} s`);
    const postgres = await openPostgres(url);
    try {
      // A freshly loaded database as autovacuum leaves it: statistics, and the visibility map that lets
      // PostgreSQL answer from covering indexes alone.
      await sql`VACUUM ANALYZE`.execute(postgres.q);
      await measure('PostgreSQL', postgres);
    } finally {
      await postgres.close();
    }
  }
  console.log('\nMachine shared with other work: compare each figure with its own same-run baseline.');
} finally {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
