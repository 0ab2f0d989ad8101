/**
 * End to end at a steady rate: webhooks of every messaging channel (Telegram, WhatsApp, Messenger,
 * Instagram, Sunshine Conversations), RATE per second for SECONDS, HANDOFF of them asking for a
 * person, each acknowledged by Desk (its own process group) and answered by the bot through the
 * platform's API, played by stand-ins in this process. Measures the time from each acknowledgement
 * to its reply reaching the stand-in, and samples the inbox depth every second (it must stay
 * bounded). The web chat is left out: its replies go to the visitor's stream, not to a platform,
 * and its per-address flood limit (600 a minute) refuses a single loopback client long before.
 * Load only over loopback; the number of requests is RATE x SECONDS.
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:end-to-end     (RATE=2000 SECONDS=30 HANDOFF=0.2)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metaSignatureOf } from '../src/channels/webhook-auth.ts';
import {
  type GraphProfile,
  type Recorded,
  startGraphStandIn,
  startSmoochStandIn,
  startTelegramStandIn,
} from '../test/support/platform-stand-ins.ts';
import { killAll, killGroup, metricValue, startDesk } from './support/processes.ts';

const RATE = Number(process.env.RATE ?? 2000);
const SECONDS = Number(process.env.SECONDS ?? 30);
const HANDOFF = Number(process.env.HANDOFF ?? 0.2);
const MAX_IN_FLIGHT = 512;
const POOL = 200;
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
        body: JSON.stringify({ update_id: n, message: { message_id: n, from: { id: Number(user), is_bot: false, first_name: 'Load' }, chat: { id: Number(user), type: 'private' }, date: 1_700_000_000, text } }),
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

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-bench-e2e-'));
  // Messenger and Instagram look new contacts' names up: every id has a profile here.
  const profiles = new Proxy({} as Record<string, GraphProfile>, {
    get: (_target, id) => ({ channel: String(id).startsWith('ig') ? 'instagram' : 'messenger', first_name: 'Load', last_name: String(id), name: `Load ${String(id)}`, username: String(id) }),
  });
  const telegram = await startTelegramStandIn(TG_TOKEN);
  const graph = await startGraphStandIn({ phoneNumberId: PHONE_ID, whatsapp: 'EAAG-wa', page: 'EAAG-page', instagram: 'IGQ-ig' }, {}, profiles);
  const smooch = await startSmoochStandIn(SMOOCH.appId, SMOOCH.keyId, SMOOCH.secret);
  // Pending replies per conversation, oldest first: when each message was acknowledged.
  const waiting = new Map<string, (number | null)[]>();
  const latencies: number[] = [];
  let replyBeforeAck = 0;
  let unexpectedReplies = 0;
  for (const standIn of [telegram, graph, smooch]) {
    standIn.onRequest((req) => {
      const key = replyKey(req);
      if (!key) return;
      const queue = waiting.get(key);
      const ackedAt = queue?.shift();
      if (ackedAt === undefined) unexpectedReplies += 1;
      else if (ackedAt === null) replyBeforeAck += 1;
      else latencies.push(performance.now() - ackedAt);
    });
  }
  try {
    const desk = await startDesk({
      DATA_DIR: dataDir,
      DEMO: '1',
      METRICS_TOKEN,
      TELEGRAM_API_URL: telegram.url,
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      META_GRAPH_URL: graph.url,
      META_APP_SECRET: APP_SECRET,
      META_VERIFY_TOKEN: 'e2e-verify',
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_ACCESS_TOKEN: 'EAAG-wa',
      MESSENGER_PAGE_ACCESS_TOKEN: 'EAAG-page',
      INSTAGRAM_ACCESS_TOKEN: 'IGQ-ig',
      SMOOCH_API_URL: smooch.url,
      SMOOCH_APP_ID: SMOOCH.appId,
      SMOOCH_KEY_ID: SMOOCH.keyId,
      SMOOCH_KEY_SECRET: SMOOCH.secret,
      SMOOCH_WEBHOOK_SECRET: SMOOCH.webhookSecret,
    });

    const userOf = (channel: Channel, index: number) =>
      channel === 'telegram' ? String(20_000_000 + index) : channel === 'whatsapp' ? `5511${900_000_000 + index}` : channel === 'instagram' ? `ig${index}` : `u${index}`;
    let sent = 0;
    let acked = 0;
    let failed = 0;
    let skipped = 0;
    let inFlight = 0;
    let handOffs = 0;
    const send = (n: number) => {
      const channel = CHANNELS[n % CHANNELS.length] as Channel;
      const handOff = (n * 7919) % 100 < HANDOFF * 100;
      // A hand-off moves its conversation to an agent: it gets a conversation of its own, so every
      // message of the run expects exactly one bot reply.
      const user = handOff ? userOf(channel, 1_000_000 + n) : userOf(channel, n % POOL);
      if (handOff) handOffs += 1;
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
      sent += 1;
      void fetch(`${desk.url}${hook.path}`, { method: 'POST', body: hook.body, headers: { 'content-type': 'application/json', ...hook.headers } })
        .then(async (res) => {
          await res.arrayBuffer();
          const now = performance.now();
          if (res.status !== 200) {
            failed += 1;
            forget();
            return;
          }
          acked += 1;
          // The oldest still-unacknowledged slot of this conversation is this message's.
          const index = queue.indexOf(null);
          if (index >= 0) queue[index] = now;
        })
        .catch(() => {
          failed += 1;
          forget();
        })
        .finally(() => {
          inFlight -= 1;
        });
    };

    // Steady rate: every 5 ms, send what the elapsed time owes.
    const depths: number[] = [];
    const sampler = setInterval(() => {
      void metricValue(desk.url, METRICS_TOKEN, /^desk_inbox_depth (\S+)$/m).then((d) => depths.push(d));
    }, 1000);
    const started = performance.now();
    let n = 0;
    const total = RATE * SECONDS;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const owed = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
        while (n < owed) {
          n += 1;
          if (inFlight >= MAX_IN_FLIGHT) skipped += 1;
          else send(n);
        }
        if (n >= total) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    const sendSeconds = (performance.now() - started) / 1000;
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    // Let the last replies arrive (bounded).
    const deadline = performance.now() + 60_000;
    const expected = () => latencies.length + replyBeforeAck;
    while (expected() < acked && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    clearInterval(sampler);
    const drainSeconds = (performance.now() - started) / 1000 - sendSeconds;
    await killGroup(desk.child, 'SIGTERM');

    const sorted = [...latencies].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    const maxDepth = Math.max(0, ...depths.filter(Number.isFinite));
    const tail = depths.slice(-Math.min(5, depths.length));
    console.log(`\nEnd to end: ${RATE} webhooks/s for ${SECONDS} s over Telegram, WhatsApp, Messenger, Instagram and Sunshine, ${Math.round(HANDOFF * 100)} % hand-offs`);
    console.log(`(${process.platform}, Node ${process.version}; a shared 2-core machine; Desk in its own process, load and platform stand-ins in this one)`);
    console.log(`  sent ${sent} in ${sendSeconds.toFixed(1)} s (${Math.round(sent / sendSeconds)}/s), acknowledged ${acked}, failed ${failed}, not sent (over ${MAX_IN_FLIGHT} in flight) ${skipped}, hand-offs ${handOffs}`);
    console.log(
      `  ack -> bot reply at the stand-in: p50 ${percentile(sorted, 50).toFixed(1)} ms, p90 ${percentile(sorted, 90).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms  (goal p99 < 250 ms) ${p99 < 250 ? 'OK' : 'MISSED'}`,
    );
    console.log(`  replies: ${latencies.length} timed, ${replyBeforeAck} arrived before the client saw the ack, ${acked - expected()} missing after ${drainSeconds.toFixed(1)} s, ${unexpectedReplies} unexpected`);
    console.log(`  inbox depth sampled each second: max ${maxDepth}, last samples ${tail.join(', ')}  (goal: bounded)`);
  } finally {
    await killAll();
    await Promise.all([telegram.close(), graph.close(), smooch.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch(async (err) => {
  console.error(err);
  await killAll();
  process.exit(1);
});
