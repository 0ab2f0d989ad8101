/**
 * Webhook acknowledgements per second and latency under load, next to the machine's own limit.
 *
 * The baseline is a bare Hono route that parses the JSON and inserts it into a WAL SQLite file
 * (bench/support/bare-insert-server.ts), started by this script as its own process. Desk runs as its
 * own process too, as production runs it: the build (build.mjs, made in .tmp/ first) under
 * `node main.js`, demo intents, a temp DATA_DIR; BENCH_DESK=tsx runs `tsx src/main.ts` instead (the
 * TypeScript runner of development, whose helpers cost the request thread more). autocannon posts distinct,
 * correctly authenticated Telegram updates and signed WhatsApp webhooks over loopback to both, one
 * after the other, in the same run. The Telegram and Graph APIs that take the bot's answers are
 * played by a third process (answering Desk's replies must not slow the load generator: the
 * baseline gets none). BENCH_CPU_PROF=<dir> writes Desk's CPU profile there. On Linux each run also prints the
 * CPU time per acknowledgement of each server's request thread (and Desk's other threads), read from /proc:
 * unlike acks/s it does not change much when other processes share the cores; and how long the request
 * thread was ready to run but waited for a core (schedstat), which is what sharing them costs. At
 * the end Desk's inbox must drain and every acknowledged event be a stored message. Every process
 * group started here is killed at the end (tsx is only a wrapper).
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:webhooks      (BENCH_SECONDS=10 BENCH_CONNECTIONS=50 BENCH_ONLY=telegram|whatsapp BENCH_DESK=tsx)
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { metaSignatureOf } from '../src/channels/webhook-auth.ts';
import { buildForTest } from '../test/support/built-server.ts';
import { killAll, killGroup, metricValue, serverCpu, startBareInsert, startBuiltDesk, startDesk, startStandIns } from './support/processes.ts';
import { telegramTextUpdate } from './support/telegram-update.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** BENCH_ONLY=telegram or whatsapp: one of the two runs (both by default). */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
/** BENCH_DESK=tsx: Desk under the TypeScript runner instead of the production build. */
const DESK_RUNNER = process.env.BENCH_DESK === 'tsx' ? 'tsx src/main.ts' : 'node main.js (production build)';
const TOKEN = '123456:BENCH-token';
const SECRET = 'bench_webhook_secret';
const APP_SECRET = 'bench_app_secret';
const PHONE_ID = '106540352242922';
const WA_TOKEN = 'EAAG-bench';
const METRICS_TOKEN = 'bench-metrics';
const TEXTS = ['hello', 'what are your opening hours', 'I was charged twice', 'olá, bom dia', '¿a qué hora abren?', 'thanks!'];

const LOCK_WAIT = /^desk_inbox_insert_lock_wait_seconds_total (\S+)$/m;

interface Run {
  /** CPU per acknowledgement during the run (Linux): the thread that answers, and the process's other threads (processing thread, GC, I/O). */
  cpu?: { requestMicros: number; otherMicros: number; requestWaitingMicros: number | null };
  /** Desk: seconds its webhooks' inserts waited for the write lock the processing thread held, during the run. */
  lockWaitSeconds?: number;
  acksPerSecond: number;
  p50: number;
  p99: number;
  acked: number;
  non2xx: number;
  errors: number;
}

type Body = (n: number) => { body: string; headers: Record<string, string> };

async function load(url: string, path: string, body: Body, offset: number): Promise<Run> {
  let n = offset;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path,
        setupRequest: (request) => {
          n += 1;
          const built = body(n);
          return { ...request, body: built.body, headers: { ...request.headers, 'content-type': 'application/json', ...built.headers } };
        },
      },
    ],
  });
  return {
    acksPerSecond: result['2xx'] / (result.duration || SECONDS),
    p50: result.latency.p50,
    p99: result.latency.p99,
    acked: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

const telegramBody: Body = (n) => ({
  body: telegramTextUpdate({
    updateId: 100_000 + n,
    messageId: n,
    chatId: 10_000 + (n % 500),
    firstName: 'Load',
    lastName: `User ${n % 500}`,
    date: 1_700_000_000 + n,
    text: TEXTS[n % TEXTS.length] ?? '',
  }),
  headers: { 'x-telegram-bot-api-secret-token': SECRET },
});

const whatsappBody: Body = (n) => {
  const from = `5511${String(900_000_000 + (n % 500))}`;
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_ID },
              contacts: [{ profile: { name: `Load ${n % 500}` }, wa_id: from }],
              messages: [{ from, id: `wamid.bench-${n}`, timestamp: String(1_700_000_000 + n), type: 'text', text: { body: TEXTS[n % TEXTS.length] } }],
            },
          },
        ],
      },
    ],
  });
  return { body, headers: { 'x-hub-signature-256': metaSignatureOf(body, APP_SECRET) } };
};

/** A load run with the CPU its server used meanwhile, per acknowledgement (robust to a shared machine, unlike acks/s). */
async function measured(server: ChildProcess, run: () => Promise<Run>): Promise<Run> {
  const before = serverCpu(server);
  const result = await run();
  const after = serverCpu(server);
  if (!before || !after || result.acked === 0) return result;
  const per = (ms: number) => (ms * 1000) / result.acked;
  const waiting = before.requestThreadWaiting !== null && after.requestThreadWaiting !== null ? per(after.requestThreadWaiting - before.requestThreadWaiting) : null;
  return {
    ...result,
    cpu: { requestMicros: per(after.requestThread - before.requestThread), otherMicros: per(after.otherThreads - before.otherThreads), requestWaitingMicros: waiting },
  };
}

async function waitForDrain(url: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const depth = await metricValue(url, METRICS_TOKEN, /^desk_inbox_depth (\S+)$/m);
    if (depth === 0) return (performance.now() - started) / 1000;
    if (performance.now() - started > 300_000) throw new Error(`The inbox did not drain in 5 minutes (depth ${depth}).`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-bench-webhooks-'));
  const build = process.env.BENCH_DESK === 'tsx' ? null : await buildForTest();
  try {
    // The platforms Desk replies to, in a process of their own (not the load generator's).
    const { urls } = await startStandIns({ TELEGRAM_TOKEN: TOKEN, PHONE_ID, WHATSAPP_TOKEN: WA_TOKEN });
    const bare = await startBareInsert(join(dataDir, 'bare.sqlite'));
    const deskEnv = {
      DATA_DIR: join(dataDir, 'desk'),
      DEMO: '1',
      METRICS_TOKEN,
      TELEGRAM_API_URL: urls.telegram,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      META_GRAPH_URL: urls.graph,
      META_APP_SECRET: APP_SECRET,
      META_VERIFY_TOKEN: 'bench-verify',
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_ACCESS_TOKEN: WA_TOKEN,
    };
    const desk = build ? await startBuiltDesk(build.main, deskEnv) : await startDesk(deskEnv);
    // Warm-up (JIT, the bot model): a few hundred requests of each webhook to each server, not counted.
    const warmUp = 300;
    for (const [url, path, body] of [
      [bare.url, '/hook', telegramBody],
      [bare.url, '/hook', whatsappBody],
      [desk.url, '/channels/telegram/webhook', telegramBody],
      [desk.url, '/channels/meta/webhook', whatsappBody],
    ] as const) {
      for (let i = 0; i < warmUp; i += 1) {
        const built = body(5_000_000 + i);
        await fetch(`${url}${path}`, { method: 'POST', body: built.body, headers: { 'content-type': 'application/json', ...built.headers } });
      }
    }
    await waitForDrain(desk.url);

    const rows: Record<string, string | number>[] = [];
    const results: { name: string; desk: Run; bare: Run; drainSeconds: number }[] = [];
    const webhooks = [
      ['Telegram (secret header)', '/channels/telegram/webhook', telegramBody, 0, 'telegram'],
      ['WhatsApp (HMAC of the raw body)', '/channels/meta/webhook', whatsappBody, 10_000_000, 'whatsapp'],
    ] as const;
    for (const [name, path, body, offset] of webhooks.filter(([, , , , key]) => ONLY.length === 0 || ONLY.includes(key))) {
      const bareRun = await measured(bare.child, () => load(bare.url, '/hook', body, offset));
      const waitedBefore = await metricValue(desk.url, METRICS_TOKEN, LOCK_WAIT);
      const deskRun = await measured(desk.child, () => load(desk.url, path, body, offset));
      deskRun.lockWaitSeconds = (await metricValue(desk.url, METRICS_TOKEN, LOCK_WAIT)) - waitedBefore;
      const drainSeconds = await waitForDrain(desk.url);
      results.push({ name, desk: deskRun, bare: bareRun, drainSeconds });
      for (const [who, r] of [['bare Hono + SQLite insert', bareRun], ['Desk', deskRun]] as const) {
        rows.push({
          webhook: name,
          server: who,
          'acks/s': Math.round(r.acksPerSecond),
          'p50 ms': r.p50,
          'p99 ms': r.p99,
          acked: r.acked,
          'non-2xx': r.non2xx,
          errors: r.errors,
          'CPU µs/ack, request thread': r.cpu ? Math.round(r.cpu.requestMicros) : '-',
          'CPU µs/ack, other threads': r.cpu ? Math.round(r.cpu.otherMicros) : '-',
          'request thread waiting for a core, µs/ack': r.cpu?.requestWaitingMicros != null ? Math.round(r.cpu.requestWaitingMicros) : '-',
        });
      }
    }

    await killGroup(desk.child, 'SIGTERM');
    await killGroup(bare.child, 'SIGTERM');
    const db = new Database(join(dataDir, 'desk', 'desk.sqlite'), { readonly: true });
    const stored = (channel: string) =>
      (db.prepare("SELECT COUNT(*) AS n FROM messages WHERE channel = ? AND author_kind = 'user'").get(channel) as { n: number }).n;
    // With the processing thread the inbox has a file of its own (src/inbox/inbox-file.ts).
    const inboxFile = join(dataDir, 'desk', 'inbox.sqlite');
    const inboxDb = existsSync(inboxFile) ? new Database(inboxFile, { readonly: true }) : db;
    const setAside = (inboxDb.prepare("SELECT COUNT(*) AS n FROM inbox WHERE state = 'set_aside'").get() as { n: number }).n;
    if (inboxDb !== db) inboxDb.close();
    const storedTelegram = stored('telegram') - warmUp;
    const storedWhatsapp = stored('whatsapp') - warmUp;
    db.close();

    console.log(`\nWebhook acknowledgements: ${CONNECTIONS} connections, ${SECONDS} s per run, each server in its own process on loopback; Desk: ${DESK_RUNNER}`);
    console.log(`(${process.platform}, Node ${process.version}; a shared 2-core machine: compare the ratios, not the absolute figures)\n`);
    console.table(rows);
    for (const { name, desk: d, bare: b, drainSeconds } of results) {
      const ratio = d.acksPerSecond / b.acksPerSecond;
      const ok = ratio >= 0.5 && d.p99 <= 20 && d.errors === 0 && d.non2xx === 0;
      console.log(
        `${name}: Desk ${Math.round(d.acksPerSecond)}/s vs baseline ${Math.round(b.acksPerSecond)}/s = ${ratio.toFixed(2)}x (goal >= 0.5x), ` +
          `p99 ${d.p99} ms (goal <= 20), errors ${d.errors + d.non2xx} (goal 0), inbox drained ${drainSeconds.toFixed(1)} s after the run  ${ok ? 'OK' : 'MISSED'}`,
      );
      if (d.cpu && b.cpu) {
        console.log(
          `  CPU per acknowledgement: Desk's request thread ${Math.round(d.cpu.requestMicros)} µs vs the bare route's ${Math.round(b.cpu.requestMicros)} µs ` +
            `(= ${(b.cpu.requestMicros / d.cpu.requestMicros).toFixed(2)}x its rate on one core); Desk's other threads ${Math.round(d.cpu.otherMicros)} µs meanwhile`,
        );
        // Ready to run but without a core (Linux schedstat): the machine's other processes, and Desk's own processing thread.
        if (d.cpu.requestWaitingMicros !== null && b.cpu.requestWaitingMicros !== null) {
          console.log(
            `  Waiting for a core per acknowledgement: Desk's request thread ${Math.round(d.cpu.requestWaitingMicros)} µs vs the bare route's ${Math.round(b.cpu.requestWaitingMicros)} µs`,
          );
        }
      }
      if (d.lockWaitSeconds !== undefined && Number.isFinite(d.lockWaitSeconds)) {
        console.log(`  Desk's inbox inserts waited ${d.lockWaitSeconds.toFixed(1)} s of the ${SECONDS} s run for the write lock the processing thread held`);
      }
    }
    const ackedTelegram = results.find((r) => r.name.startsWith('Telegram'))?.desk.acked ?? 0;
    const ackedWhatsapp = results.find((r) => r.name.startsWith('WhatsApp'))?.desk.acked ?? 0;
    console.log(
      `Every acknowledged event processed: telegram ${storedTelegram}/${ackedTelegram}, whatsapp ${storedWhatsapp}/${ackedWhatsapp}, set aside ${setAside}`,
    );
    if (storedTelegram < ackedTelegram || storedWhatsapp < ackedWhatsapp || setAside > 0) {
      console.error('An acknowledged webhook was not processed!');
      process.exitCode = 1;
    }
  } finally {
    await killAll();
    rmSync(dataDir, { recursive: true, force: true });
    build?.remove();
  }
}

main().catch(async (err) => {
  console.error(err);
  await killAll();
  process.exit(1);
});
