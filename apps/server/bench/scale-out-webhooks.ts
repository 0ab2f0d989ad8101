/**
 * Webhook acknowledgements per second with Desk on PostgreSQL, one instance and two, against Desk
 * on SQLite (one instance) in the same run (issue #14).
 *
 * Every Desk is its own process group (tsx src/main.ts, demo intents), one after the other so the
 * runs don't share the CPU: SQLite in a temp DATA_DIR; one instance on a fresh database in a
 * throwaway PostgreSQL cluster; two instances on another fresh database of that cluster. Two
 * instances sit "behind one address" the way two autocannon targets do: the same connections split
 * evenly between them at once (no proxy process: a proxy would need CPU of its own). autocannon posts
 * distinct, correctly authenticated Telegram updates (the Bot API's format) over loopback; this
 * process plays the Telegram API that takes the bot's answers. After each run every acknowledged
 * update must end up a stored message (the inbox drains). Every process group started here is killed
 * at the end, and the cluster stopped and deleted.
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:scale-out      (BENCH_SECONDS=10 BENCH_CONNECTIONS=50)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startThrowawayCluster } from '../../../scripts/postgres/throwaway-cluster.mjs';
import { LOAD_BOT_MESSAGE_IDS, startTelegramStandIn } from '../test/support/platform-stand-ins.ts';
import { killAll, killGroup, startDesk } from './support/processes.ts';
import { telegramTextUpdate } from './support/telegram-update.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TOKEN = '123456:BENCH-token';
const SECRET = 'bench_webhook_secret';
const TEXTS = ['hello', 'what are your opening hours', 'I was charged twice', 'olá, bom dia', '¿a qué hora abren?', 'thanks!'];
const WARM_UP = 300;

interface Run {
  acked: number;
  acksPerSecond: number;
  p50: number;
  p99: number;
  failed: number;
}

/** A Telegram update as the Bot API posts it; `n` makes it distinct (update_id) and picks one of 500 chats. */
function telegramUpdate(n: number): string {
  const chat = 20_000 + (n % 500);
  return telegramTextUpdate({
    updateId: 300_000 + n,
    messageId: n,
    chatId: chat,
    firstName: 'Load',
    lastName: `User ${n % 500}`,
    languageCode: 'en',
    date: 1_700_000_000 + n,
    text: TEXTS[n % TEXTS.length] ?? '',
  });
}

let next = 0;
/** autocannon at `urls` at once, the connections split between them; the acknowledgements added up. */
async function load(urls: string[]): Promise<Run> {
  const runs = await Promise.all(
    urls.map((url) =>
      autocannon({
        url,
        connections: Math.max(1, Math.round(CONNECTIONS / urls.length)),
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path: '/channels/telegram/webhook',
            setupRequest: (request) => {
              next += 1;
              return {
                ...request,
                body: telegramUpdate(next),
                headers: { ...request.headers, 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
              };
            },
          },
        ],
      }),
    ),
  );
  const acked = runs.reduce((sum, r) => sum + r['2xx'], 0);
  return {
    acked,
    acksPerSecond: runs.reduce((sum, r) => sum + r['2xx'] / (r.duration || SECONDS), 0),
    // Latencies of the busier target (the two are alike when the split is even).
    p50: Math.max(...runs.map((r) => r.latency.p50)),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    failed: runs.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
  };
}

async function warmUp(urls: string[]): Promise<void> {
  for (let i = 0; i < WARM_UP; i += 1) {
    next += 1;
    await fetch(`${urls[i % urls.length]}/channels/telegram/webhook`, {
      method: 'POST',
      body: telegramUpdate(next),
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    });
  }
}

/** Waits until `stored()` reaches `expected` (the inbox drained into messages); answers the seconds it took. */
async function drained(stored: () => Promise<number>, expected: number): Promise<{ seconds: number; stored: number }> {
  const started = performance.now();
  for (;;) {
    const count = await stored();
    if (count >= expected) return { seconds: (performance.now() - started) / 1000, stored: count };
    if (performance.now() - started > 300_000) return { seconds: Number.NaN, stored: count };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const USER_MESSAGES = "SELECT COUNT(*) AS n FROM messages WHERE channel = 'telegram' AND author_kind = 'user'";

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-bench-scale-out-'));
  const telegram = await startTelegramStandIn(TOKEN, {}, { firstMessageId: LOAD_BOT_MESSAGE_IDS });
  const cluster = await startThrowawayCluster();
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  const env = (name: string) => ({
    DATA_DIR: join(dataDir, name),
    MEDIA_DIR: join(dataDir, 'media'),
    DEMO: '1',
    TELEGRAM_API_URL: telegram.url,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
  const rows: Record<string, string | number>[] = [];
  const results: { name: string; run: Run; drainSeconds: number; stored: number }[] = [];
  const loads = [loadavg()[0] ?? 0];
  try {
    // 1. SQLite, one instance: the baseline.
    {
      const desk = await startDesk(env('sqlite'));
      await warmUp([desk.url]);
      const file = new Database(join(dataDir, 'sqlite', 'desk.sqlite'), { readonly: true });
      const count = async () => (file.prepare(USER_MESSAGES).get() as { n: number }).n;
      await drained(count, WARM_UP);
      const run = await load([desk.url]);
      loads.push(loadavg()[0] ?? 0);
      const drain = await drained(count, WARM_UP + run.acked);
      results.push({ name: 'SQLite, 1 instance (baseline)', run, drainSeconds: drain.seconds, stored: drain.stored - WARM_UP });
      file.close();
      await killGroup(desk.child, 'SIGTERM');
    }
    // 2. and 3. PostgreSQL, one instance, then two sharing a database.
    for (const instances of [1, 2]) {
      const name = `bench_${instances}_instances`;
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(cluster.url);
      url.pathname = `/${name}`;
      const desks = [];
      // The first migrates and seeds the demo; the next ones find it done.
      for (let i = 0; i < instances; i += 1) desks.push(await startDesk({ ...env(`${name}-${i}`), DATABASE_URL: url.toString() }));
      const urls = desks.map((d) => d.url);
      const reader = new pg.Client({ connectionString: url.toString() });
      await reader.connect();
      const count = async () => Number((await reader.query(USER_MESSAGES)).rows[0].n);
      await warmUp(urls);
      await drained(count, WARM_UP);
      const run = await load(urls);
      loads.push(loadavg()[0] ?? 0);
      const drain = await drained(count, WARM_UP + run.acked);
      results.push({ name: `PostgreSQL, ${instances} instance${instances > 1 ? 's' : ''}`, run, drainSeconds: drain.seconds, stored: drain.stored - WARM_UP });
      await reader.end();
      await Promise.all(desks.map((d) => killGroup(d.child, 'SIGTERM')));
    }

    const baseline = results[0]?.run.acksPerSecond ?? Number.NaN;
    for (const { name, run, drainSeconds, stored } of results) {
      rows.push({
        server: name,
        'acks/s': Math.round(run.acksPerSecond),
        '× SQLite': (run.acksPerSecond / baseline).toFixed(2),
        'p50 ms': run.p50,
        'p99 ms': run.p99,
        acked: run.acked,
        failed: run.failed,
        'stored/acked': `${stored}/${run.acked}`,
        'drain s': drainSeconds.toFixed(1),
      });
    }
    console.log(`\nTelegram webhook acknowledgements: ${CONNECTIONS} connections, ${SECONDS} s per run, every Desk its own process on loopback`);
    console.log(
      `(${process.platform}, Node ${process.version}; load average (1 min) at the start and after each run: ${loads.map((l) => l.toFixed(1)).join(', ')}; ` +
        'a shared 2-core machine: compare the ratios, not the absolute figures)\n',
    );
    console.table(rows);
    const lost = results.filter((r) => r.stored < r.run.acked);
    if (lost.length > 0) {
      console.error(`An acknowledged webhook was not stored: ${lost.map((r) => r.name).join(', ')}`);
      process.exitCode = 1;
    } else {
      console.log('Every acknowledged update was stored, in every run.');
    }
  } finally {
    await killAll();
    await admin.end().catch(() => {});
    await cluster.stop();
    await telegram.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch(async (error: unknown) => {
  console.error(error);
  await killAll();
  process.exit(1);
});
