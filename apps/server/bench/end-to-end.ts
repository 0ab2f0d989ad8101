/**
 * End to end at a steady rate: webhooks of every messaging channel (Telegram, WhatsApp, Messenger,
 * Instagram, Sunshine Conversations), RATE per second for SECONDS, HANDOFF of them asking for a
 * person, each acknowledged by Desk (its own process group) and answered by the bot through the
 * platform's API, played by stand-ins in this process. Measures the time from each acknowledgement
 * to its reply reaching the stand-in, and samples the inbox depth every second (it must stay
 * bounded). The web chat is left out: its replies go to the visitor's stream, not to a platform,
 * and its per-address flood limit (600 a minute) refuses a single loopback client long before.
 * Load only over loopback; the number of requests is RATE x SECONDS. Each server gets an unmeasured
 * warm-up first (WARM_UP_SECONDS, 5 s at the measured rate and at least 100/s, every reply waited for;
 * WARM_UP_RATE sets another).
 *
 * The same load first drives the bare pipeline for BASELINE_SECONDS (support/bare-relay-server.ts:
 * Hono + a SQLite inbox, a batched outbox, one platform call and one mark per reply, no NLU): the
 * machine's own limit for this path in the same run. Both print the rate replies reached the
 * stand-ins, held for 5 s (what the pipeline sustains), and their ratio.
 *
 * A 2-core machine may not carry RATE even through the bare pipeline. So the benchmark then climbs a
 * ladder of steady rates (LADDER, STEP_SECONDS each, a fresh server per step) to find the machine's
 * own limit for this path: the highest rate at which the bare pipeline holds ack -> reply p99 under
 * 250 ms with every message acknowledged and answered. It runs Desk on the same ladder and prints
 * Desk's p99 at that rate and its own highest such rate, next to the bare pipeline's (LIMITS=0 skips
 * this part). COMPARE_DIR=<another checkout's apps/server> climbs the ladder with that build of Desk too,
 * in the same run (before/after figures of a change). BASELINE_SECONDS=0 runs Desk alone (profiling: BENCH_CPU_PROF=<dir>; BENCH_DESK_ENV passes
 * Desk more settings, see support/processes.ts).
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:end-to-end
 *     (RATE=2000 SECONDS=30 HANDOFF=0.2 POOL=200 BASELINE_SECONDS=10 WARM_UP_SECONDS=5 WARM_UP_RATE= LIMITS=1 LADDER=25,50,100,200,300,500,700,1000,1500,2000 STEP_SECONDS=10)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metaSignatureOf } from '../src/channels/webhook-auth.ts';
import {
  type GraphProfile,
  LOAD_BOT_MESSAGE_IDS,
  type Recorded,
  startGraphStandIn,
  startSmoochStandIn,
  startTelegramStandIn,
} from '../test/support/platform-stand-ins.ts';
import { freePort, killAll, killGroup, metricValue, serverCpu, spawnGroup, startDesk, waitHealthy } from './support/processes.ts';
import { telegramTextUpdate } from './support/telegram-update.ts';

const RATE = Number(process.env.RATE ?? 2000);
const SECONDS = Number(process.env.SECONDS ?? 30);
/** How long the bare pipeline (the baseline) is driven first. */
const BASELINE_SECONDS = Number(process.env.BASELINE_SECONDS ?? Math.min(SECONDS, 10));
const HANDOFF = Number(process.env.HANDOFF ?? 0.2);
/** The goal's bound on ack -> reply at p99. */
const GOAL_P99_MS = 250;
const LIMITS = process.env.LIMITS !== '0';
const LADDER = (process.env.LADDER ?? '25,50,100,200,300,500,700,1000,1500,2000').split(',').map(Number).filter((rate) => rate > 0).sort((a, b) => a - b);
const STEP_SECONDS = Number(process.env.STEP_SECONDS ?? 10);
/** Another build of Desk (its apps/server directory) that climbs the ladder too. */
const COMPARE_DIR = process.env.COMPARE_DIR ?? null;
const MAX_IN_FLIGHT = 512;
/** POOL: the conversations the messages other than hand-offs are spread over (each hand-off is a new one). */
const POOL = Number(process.env.POOL ?? 200);
const TG_TOKEN = '123456:E2E-token';
const TG_SECRET = 'e2e_webhook_secret';
const APP_SECRET = 'e2e_app_secret';
const PHONE_ID = '106540352242922';
const PAGE_ID = '1000000001';
const IG_ID = '1789000001';
const SMOOCH = { appId: '5ebee0975ac5304b664a12fa', keyId: 'app_e2e', secret: 'e2e-key-secret', webhookSecret: 'e2e-smooch-webhook' };
const METRICS_TOKEN = 'e2e-metrics';
const TEXTS = ['hello', 'what are your opening hours', 'good morning', 'are you open on saturday', 'olá, bom dia', '¿a qué hora abren?'];
const HANDOFF_TEXTS = ['I want to talk to a person', 'quero falar com um atendente', 'quiero hablar con un agente'];
const CHANNELS = ['telegram', 'whatsapp', 'messenger', 'instagram', 'smooch'] as const;
type Channel = (typeof CHANNELS)[number];

interface Outgoing {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** The webhook a platform would post for one user message. */
function webhookFor(channel: Channel, user: string, n: number, text: string): Outgoing {
  const signed = (body: string): Outgoing => ({ path: '/channels/meta/webhook', body, headers: { 'x-hub-signature-256': metaSignatureOf(body, APP_SECRET) } });
  switch (channel) {
    case 'telegram':
      return {
        path: '/channels/telegram/webhook',
        body: telegramTextUpdate({ updateId: n, chatId: Number(user), firstName: 'Load', text }),
        headers: { 'x-telegram-bot-api-secret-token': TG_SECRET },
      };
    case 'whatsapp':
      return signed(
        JSON.stringify({
          object: 'whatsapp_business_account',
          entry: [{ id: '1022', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_ID }, contacts: [{ profile: { name: 'Load' }, wa_id: user }], messages: [{ from: user, id: `wamid.e2e-${n}`, timestamp: '1700000000', type: 'text', text: { body: text } }] } }] }],
        }),
      );
    case 'messenger':
    case 'instagram': {
      const page = channel === 'messenger' ? PAGE_ID : IG_ID;
      return signed(
        JSON.stringify({
          object: channel === 'messenger' ? 'page' : 'instagram',
          entry: [{ id: page, time: 1_700_000_000_000, messaging: [{ sender: { id: user }, recipient: { id: page }, timestamp: 1_700_000_000_000, message: { mid: `mid.e2e-${n}`, text } }] }],
        }),
      );
    }
    case 'smooch':
      return {
        path: '/channels/smooch/webhook',
        body: JSON.stringify({
          app: { id: SMOOCH.appId },
          webhook: { id: 'wh', version: 'v2' },
          events: [
            {
              id: `ev-${n}`,
              createdAt: '2026-01-01T00:00:00.000Z',
              type: 'conversation:message',
              payload: {
                conversation: { id: user, type: 'personal' },
                message: { id: `sm-${n}`, received: '2026-01-01T00:00:00.000Z', author: { userId: `u-${user}`, displayName: 'Load', type: 'user' }, content: { type: 'text', text }, source: { type: 'telegram' } },
              },
            },
          ],
        }),
        headers: { 'x-api-key': SMOOCH.webhookSecret },
      };
    default: {
      const unknownChannel: never = channel;
      throw new Error(`Unknown channel ${String(unknownChannel)}`);
    }
  }
}

/** The conversation a reply the stand-ins received is for. */
function replyKey(req: Recorded): string | null {
  if (req.method !== 'POST') return null;
  if (req.path.endsWith('/sendMessage')) return `telegram:${req.json?.chat_id}`;
  if (req.path === `/${PHONE_ID}/messages`) return `whatsapp:${req.json?.to}`;
  if (req.path === `/${PAGE_ID}/messages`) return `messenger:${req.json?.recipient?.id}`;
  if (req.path === `/${IG_ID}/messages`) return `instagram:${req.json?.recipient?.id}`;
  const smooch = /^\/v2\/apps\/[^/]+\/conversations\/([^/]+)\/messages$/.exec(req.path);
  return smooch ? `smooch:${smooch[1]}` : null;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** What one run of the load measured. */
interface RunFigures {
  sent: number;
  acked: number;
  failed: number;
  skipped: number;
  handOffs: number;
  sendSeconds: number;
  drainSeconds: number;
  latencies: number[];
  replyBeforeAck: number;
  unexpectedReplies: number;
  missing: number;
  /** Replies that reached the stand-ins in each second of the run. */
  repliesPerSecond: number[];
  /** The server's CPU time per reply over the run, all its threads (Linux; null elsewhere): it does not grow when other processes take the cores. */
  cpuMsPerReply: number | null;
}

/** Replies the stand-ins receive go to the run under way. */
type ReplyListener = (key: string) => void;

/**
 * Sends RATE webhooks a second for `seconds` to `url`, expecting one bot reply at the stand-ins per
 * message, and waits (bounded) for the replies. `sample` runs every second meanwhile.
 */
async function drive(
  url: string,
  rate: number,
  seconds: number,
  listen: (listener: ReplyListener) => void,
  sample: () => void,
  maxDrainMs = 60_000,
  /** Added to every message number: a run after the warm-up uses ids and conversations of its own. */
  offset = 0,
  /** The server's process (its CPU time is read before and after). */
  server: import('node:child_process').ChildProcess | null = null,
): Promise<RunFigures> {
  const userOf = (channel: Channel, index: number) =>
    channel === 'telegram' ? String(20_000_000 + index) : channel === 'whatsapp' ? `5511${900_000_000 + index}` : channel === 'instagram' ? `ig${index}` : `u${index}`;
  // Pending replies per conversation, oldest first: when each message was acknowledged.
  const waiting = new Map<string, (number | null)[]>();
  const figures: RunFigures = {
    sent: 0, acked: 0, failed: 0, skipped: 0, handOffs: 0, sendSeconds: 0, drainSeconds: 0,
    latencies: [], replyBeforeAck: 0, unexpectedReplies: 0, missing: 0, repliesPerSecond: [], cpuMsPerReply: null,
  };
  const cpuBefore = server ? serverCpu(server) : null;
  let repliesThisSecond = 0;
  listen((key) => {
    repliesThisSecond += 1;
    const ackedAt = waiting.get(key)?.shift();
    if (ackedAt === undefined) figures.unexpectedReplies += 1;
    else if (ackedAt === null) figures.replyBeforeAck += 1;
    else figures.latencies.push(performance.now() - ackedAt);
  });
  let inFlight = 0;
  const send = (n: number) => {
    const channel = CHANNELS[n % CHANNELS.length] as Channel;
    const handOff = (n * 7919) % 100 < HANDOFF * 100;
    // A hand-off moves its conversation to an agent: it gets a conversation of its own, so every
    // message of the run expects exactly one bot reply.
    const user = handOff ? userOf(channel, 1_000_000 + n) : userOf(channel, n % POOL);
    if (handOff) figures.handOffs += 1;
    const text = handOff ? (HANDOFF_TEXTS[n % HANDOFF_TEXTS.length] as string) : (TEXTS[n % TEXTS.length] as string);
    const hook = webhookFor(channel, user, n, text);
    const key = `${channel}:${user}`;
    const queue = waiting.get(key) ?? [];
    waiting.set(key, queue);
    queue.push(null);
    const forget = () => {
      const index = queue.indexOf(null);
      if (index >= 0) queue.splice(index, 1);
    };
    inFlight += 1;
    figures.sent += 1;
    void fetch(`${url}${hook.path}`, { method: 'POST', body: hook.body, headers: { 'content-type': 'application/json', ...hook.headers } })
      .then(async (res) => {
        await res.arrayBuffer();
        const now = performance.now();
        if (res.status !== 200) {
          figures.failed += 1;
          forget();
          return;
        }
        figures.acked += 1;
        // The oldest still-unacknowledged slot of this conversation is this message's.
        const index = queue.indexOf(null);
        if (index >= 0) queue[index] = now;
      })
      .catch(() => {
        figures.failed += 1;
        forget();
      })
      .finally(() => {
        inFlight -= 1;
      });
  };

  // Steady rate: every 5 ms, send what the elapsed time owes.
  const sampler = setInterval(() => {
    figures.repliesPerSecond.push(repliesThisSecond);
    repliesThisSecond = 0;
    sample();
  }, 1000);
  const started = performance.now();
  let n = 0;
  const total = rate * seconds;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const owed = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      while (n < owed) {
        n += 1;
        if (inFlight >= MAX_IN_FLIGHT) figures.skipped += 1;
        else send(n + offset);
      }
      if (n >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  figures.sendSeconds = (performance.now() - started) / 1000;
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  // Let the last replies arrive (bounded).
  const deadline = performance.now() + maxDrainMs;
  const expected = () => figures.latencies.length + figures.replyBeforeAck;
  while (expected() < figures.acked && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  clearInterval(sampler);
  figures.drainSeconds = (performance.now() - started) / 1000 - figures.sendSeconds;
  figures.missing = figures.acked - expected();
  const cpuAfter = server ? serverCpu(server) : null;
  if (cpuBefore && cpuAfter && expected() > 0) {
    figures.cpuMsPerReply = (cpuAfter.requestThread + cpuAfter.otherThreads - cpuBefore.requestThread - cpuBefore.otherThreads) / expected();
  }
  return figures;
}

/** Message numbers of the warm-up: apart from the measured run's. */
const WARM_UP_OFFSET = 50_000_000;
const WARM_UP_SECONDS = Number(process.env.WARM_UP_SECONDS ?? 5);

/** WARM_UP_RATE: the warm-up's rate for every run and step, instead of the one below. */
const WARM_UP_RATE = process.env.WARM_UP_RATE ? Number(process.env.WARM_UP_RATE) : null;

/**
 * A server just started is cold (JIT, statement caches; Desk also trains its bot then): a short
 * unmeasured run whose replies are all waited for before the measured run starts, at the measured
 * rate and at least 100/s (a 25/s step used to warm up with 75 messages only). At the rate, since the
 * measured run is a steady one: warmed at 100/s, Desk met a step to 1,000/s with code still tuned to
 * a tenth of it, and fell about 500 messages behind in the first two seconds before holding the rate
 * with an inbox of a few rows (p99 450-650 ms against 30-40 ms warmed at the rate). Both pipelines
 * still cost more CPU per reply at low rates: every message is then a batch of its own.
 */
async function warmUp(url: string, rate: number, listen: (listener: ReplyListener) => void): Promise<void> {
  if (WARM_UP_SECONDS > 0) await drive(url, WARM_UP_RATE ?? Math.max(100, rate), WARM_UP_SECONDS, listen, () => {}, 30_000, WARM_UP_OFFSET);
}

/** The best rate replies reached the stand-ins, held for 5 s in a row (or the whole run if shorter): what the pipeline sustains. */
function sustainedRate(perSecond: number[]): number {
  const span = Math.min(5, perSecond.length);
  let best = 0;
  for (let i = 0; i + span <= perSecond.length; i += 1) best = Math.max(best, perSecond.slice(i, i + span).reduce((a, b) => a + b, 0) / span);
  return Math.round(best);
}

const p99Of = (figures: RunFigures) => percentile([...figures.latencies].sort((a, b) => a - b), 99);

/** Held the rate: every message sent, acknowledged and answered, and ack -> reply p99 under the goal. */
const held = (figures: RunFigures) => figures.skipped === 0 && figures.failed === 0 && figures.missing === 0 && figures.latencies.length > 0 && p99Of(figures) < GOAL_P99_MS;

function report(name: string, figures: RunFigures): number {
  const sorted = [...figures.latencies].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  console.log(`  ${name}`);
  console.log(
    `    sent ${figures.sent} in ${figures.sendSeconds.toFixed(1)} s (${Math.round(figures.sent / figures.sendSeconds)}/s), acknowledged ${figures.acked}, failed ${figures.failed}, not sent (over ${MAX_IN_FLIGHT} in flight) ${figures.skipped}, hand-offs ${figures.handOffs}`,
  );
  console.log(`    ack -> reply at the stand-in: p50 ${percentile(sorted, 50).toFixed(1)} ms, p90 ${percentile(sorted, 90).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms`);
  console.log(
    `    replies: ${figures.latencies.length} timed, ${figures.replyBeforeAck} arrived before the client saw the ack, ${figures.missing} missing after ${figures.drainSeconds.toFixed(1)} s, ${figures.unexpectedReplies} unexpected; sustained ${sustainedRate(figures.repliesPerSecond)} replies/s (best 5 s)`,
  );
  if (figures.cpuMsPerReply !== null) console.log(`    server CPU per reply (all threads): ${figures.cpuMsPerReply.toFixed(2)} ms`);
  return p99;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-bench-e2e-'));
  // Messenger and Instagram look new contacts' names up: every id has a profile here.
  const profiles = new Proxy({} as Record<string, GraphProfile>, {
    get: (_target, id) => ({ channel: String(id).startsWith('ig') ? 'instagram' : 'messenger', first_name: 'Load', last_name: String(id), name: `Load ${String(id)}`, username: String(id) }),
  });
  const telegram = await startTelegramStandIn(TG_TOKEN, {}, { firstMessageId: LOAD_BOT_MESSAGE_IDS });
  const graph = await startGraphStandIn({ phoneNumberId: PHONE_ID, whatsapp: 'EAAG-wa', page: 'EAAG-page', instagram: 'IGQ-ig' }, {}, profiles);
  const smooch = await startSmoochStandIn(SMOOCH.appId, SMOOCH.keyId, SMOOCH.secret);
  let current: ReplyListener = () => {};
  for (const standIn of [telegram, graph, smooch]) {
    standIn.onRequest((req) => {
      const key = replyKey(req);
      if (key) current(key);
    });
  }
  const listen = (listener: ReplyListener) => {
    current = listener;
  };
  const platforms = {
    TELEGRAM_API_URL: telegram.url,
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    META_GRAPH_URL: graph.url,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
    WHATSAPP_ACCESS_TOKEN: 'EAAG-wa',
    MESSENGER_PAGE_ACCESS_TOKEN: 'EAAG-page',
    INSTAGRAM_ACCESS_TOKEN: 'IGQ-ig',
    SMOOCH_API_URL: smooch.url,
    SMOOCH_APP_ID: SMOOCH.appId,
    SMOOCH_KEY_ID: SMOOCH.keyId,
    SMOOCH_KEY_SECRET: SMOOCH.secret,
  };
  try {
    // The baseline first, on the same machine in the same run: the bare pipeline (bare-relay-server.ts).
    const startBare = async (file: string) => {
      const port = await freePort();
      const child = spawnGroup('bench/support/bare-relay-server.ts', { PORT: String(port), DB_FILE: file, ...platforms });
      child.stdout?.resume();
      const url = `http://127.0.0.1:${port}`;
      await waitHealthy(`${url}/healthz`, child);
      return { child, url };
    };
    const startDeskIn = (dir: string, serverAt?: string) =>
      startDesk({
        DATA_DIR: dir,
        DEMO: '1',
        METRICS_TOKEN,
        ...platforms,
        TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
        META_APP_SECRET: APP_SECRET,
        META_VERIFY_TOKEN: 'e2e-verify',
        SMOOCH_WEBHOOK_SECRET: SMOOCH.webhookSecret,
      }, serverAt);
    // BASELINE_SECONDS=0: Desk alone (profiling; no ratio is printed then).
    let baseline: RunFigures | null = null;
    if (BASELINE_SECONDS > 0) {
      const bare = await startBare(join(dataDir, 'bare.sqlite'));
      await warmUp(bare.url, RATE, listen);
      baseline = await drive(bare.url, RATE, BASELINE_SECONDS, listen, () => {}, 60_000, 0, bare.child);
      await killGroup(bare.child, 'SIGTERM');
    }

    const desk = await startDeskIn(dataDir);
    await warmUp(desk.url, RATE, listen);
    const depths: number[] = [];
    const figures = await drive(
      desk.url,
      RATE,
      SECONDS,
      listen,
      () => {
        void metricValue(desk.url, METRICS_TOKEN, /^desk_inbox_depth (\S+)$/m).then((d) => depths.push(d));
      },
      60_000,
      0,
      desk.child,
    );
    await killGroup(desk.child, 'SIGTERM');

    const maxDepth = Math.max(0, ...depths.filter(Number.isFinite));
    const tail = depths.slice(-Math.min(5, depths.length));
    console.log(`\nEnd to end: ${RATE} webhooks/s over Telegram, WhatsApp, Messenger, Instagram and Sunshine, ${Math.round(HANDOFF * 100)} % hand-offs`);
    console.log(`(${process.platform}, Node ${process.version}; a shared 2-core machine; each server in its own process, load and platform stand-ins in this one)`);
    if (baseline) report(`baseline, the bare pipeline (Hono + SQLite inbox, batched outbox, one send and one mark per reply; no NLU), ${BASELINE_SECONDS} s:`, baseline);
    const p99 = report(`Desk, ${SECONDS} s:`, figures);
    console.log(`    goal p99 < ${GOAL_P99_MS} ms at ${RATE}/s: ${p99 < GOAL_P99_MS && figures.skipped === 0 ? 'OK' : 'MISSED'}`);
    console.log(`    inbox depth sampled each second: max ${maxDepth}, last samples ${tail.join(', ')}  (goal: bounded)`);
    const deskRate = sustainedRate(figures.repliesPerSecond);
    if (baseline) {
      const bareRate = sustainedRate(baseline.repliesPerSecond);
      console.log(`  sustained replies/s, Desk / bare pipeline: ${deskRate} / ${bareRate} = ${bareRate > 0 ? (deskRate / bareRate).toFixed(2) : 'n/a'}x`);
      if (figures.cpuMsPerReply !== null && baseline.cpuMsPerReply) {
        console.log(`  server CPU per reply, Desk / bare pipeline: ${figures.cpuMsPerReply.toFixed(2)} / ${baseline.cpuMsPerReply.toFixed(2)} ms = ${(figures.cpuMsPerReply / baseline.cpuMsPerReply).toFixed(2)}x`);
      }
    }
    if (LIMITS) await machineLimits(dataDir, listen, startBare, startDeskIn);
  } finally {
    await killAll();
    await Promise.all([telegram.close(), graph.close(), smooch.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One ladder step: a fresh server, `rate` for STEP_SECONDS, replies waited for (bounded), the server stopped. */
type Step = { rate: number; figures: RunFigures };

/**
 * The machine's own limit for this path, and Desk against it at the same rates: the bare pipeline
 * climbs LADDER until a rate is not held (p99 under the goal, everything answered); Desk (and the
 * COMPARE_DIR build) climb the same ladder, each rate right after the bare pipeline's step, and always
 * run at the bare pipeline's highest held rate.
 */
async function machineLimits(
  dataDir: string,
  listen: (listener: ReplyListener) => void,
  startBare: (file: string) => Promise<{ child: import('node:child_process').ChildProcess; url: string }>,
  startDeskIn: (dir: string, serverAt?: string) => Promise<{ child: import('node:child_process').ChildProcess; url: string }>,
): Promise<void> {
  const step = async (rate: number, start: () => Promise<{ child: import('node:child_process').ChildProcess; url: string }>): Promise<Step> => {
    const server = await start();
    try {
      await warmUp(server.url, rate, listen);
      return { rate, figures: await drive(server.url, rate, STEP_SECONDS, listen, () => {}, 20_000, 0, server.child) };
    } finally {
      await killGroup(server.child, 'SIGTERM');
    }
  };
  type Start = (rate: number) => () => Promise<{ child: import('node:child_process').ChildProcess; url: string }>;
  const highest = (steps: Step[]) => Math.max(0, ...steps.filter((s) => held(s.figures)).map((s) => s.rate));
  const pipelines: { start: Start; steps: Step[]; failed: boolean }[] = [
    { start: (rate) => () => startBare(join(dataDir, `bare-${rate}.sqlite`)), steps: [], failed: false },
    { start: (rate) => () => startDeskIn(mkdtempSync(join(dataDir, `desk-${rate}-`))), steps: [], failed: false },
    ...(COMPARE_DIR ? [{ start: ((rate) => () => startDeskIn(mkdtempSync(join(dataDir, `compare-${rate}-`)), COMPARE_DIR)) as Start, steps: [], failed: false }] : []),
  ];
  // Each rate is run by every pipeline still climbing, one after the other: a shared machine's load
  // changes from minute to minute, so the steps compared are taken as close together as they can be.
  for (const rate of LADDER) {
    const climbing = pipelines.filter((p) => !p.failed);
    if (climbing.length === 0) break;
    for (const pipeline of climbing) {
      const result = await step(rate, pipeline.start(rate));
      pipeline.steps.push(result);
      if (!held(result.figures)) pipeline.failed = true;
    }
  }
  const [bare, desk, compare] = pipelines as [(typeof pipelines)[number], (typeof pipelines)[number], (typeof pipelines)[number] | undefined];
  const bareSteps = bare.steps;
  const bareLimit = highest(bareSteps);
  // Desk (and the compared build) always run at the bare pipeline's highest held rate.
  for (const pipeline of [desk, compare]) {
    const last = pipeline?.steps.at(-1);
    if (pipeline && last && bareLimit > 0 && last.rate < bareLimit) pipeline.steps.push(await step(bareLimit, pipeline.start(bareLimit)));
  }
  const deskSteps = desk.steps;
  const deskLimit = highest(deskSteps);
  const compareSteps = compare?.steps ?? [];
  const line = (s: Step | undefined) =>
    s
      ? `p99 ${p99Of(s.figures).toFixed(0).padStart(6)} ms, sustained ${String(sustainedRate(s.figures.repliesPerSecond)).padStart(5)}/s, not sent ${s.figures.skipped}, missing ${s.figures.missing}, CPU/reply ${s.figures.cpuMsPerReply?.toFixed(2) ?? '-'} ms${held(s.figures) ? '  held' : ''}`
      : '(not run)';
  console.log(`\nThe machine's own limit: steady rates of ${STEP_SECONDS} s each (fresh server per step), held = every message acknowledged and answered with ack -> reply p99 < ${GOAL_P99_MS} ms`);
  for (const rate of [...new Set([...bareSteps, ...deskSteps, ...compareSteps].map((s) => s.rate))].sort((a, b) => a - b)) {
    console.log(`  ${String(rate).padStart(5)}/s  bare pipeline: ${line(bareSteps.find((s) => s.rate === rate))}`);
    console.log(`          Desk:          ${line(deskSteps.find((s) => s.rate === rate))}`);
    if (COMPARE_DIR) console.log(`          compared build: ${line(compareSteps.find((s) => s.rate === rate))}`);
  }
  if (COMPARE_DIR) {
    const compareLimit = highest(compareSteps);
    console.log(`  compared build (${COMPARE_DIR}): highest rate held ${compareLimit}/s = ${bareLimit > 0 ? (compareLimit / bareLimit).toFixed(2) : 'n/a'}x the bare pipeline`);
  }
  const atLimit = deskSteps.find((s) => s.rate === bareLimit);
  console.log(`  highest rate held: bare pipeline ${bareLimit}/s, Desk ${deskLimit}/s = ${bareLimit > 0 ? (deskLimit / bareLimit).toFixed(2) : 'n/a'}x`);
  if (atLimit) console.log(`  Desk at the bare pipeline's limit (${bareLimit}/s): p99 ${p99Of(atLimit.figures).toFixed(0)} ms (goal < ${GOAL_P99_MS} ms) ${held(atLimit.figures) ? 'OK' : 'MISSED'}`);
}

main().catch(async (err) => {
  console.error(err);
  await killAll();
  process.exit(1);
});
