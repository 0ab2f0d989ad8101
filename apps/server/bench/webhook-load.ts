/**
 * Webhook acknowledgements per second and latency under concurrent load.
 *
 * Desk runs in a child process (tsx src/main.ts, demo intents, a temp DATA_DIR, file-backed SQLite);
 * this process plays the platforms: autocannon posts distinct, correctly authenticated Telegram
 * updates and signed WhatsApp webhooks over loopback, and a stand-in of the Telegram / Graph APIs
 * takes the bot's answers. Every acknowledged webhook is a stored message (checked at the end).
 *
 *   npm run bench:webhooks            (BENCH_SECONDS=10 BENCH_CONNECTIONS=50 to change the load)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { metaSignatureOf } from '../src/channels/webhook-auth.ts';
import { startGraphStandIn, startTelegramStandIn } from '../test/support/platform-stand-ins.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TOKEN = '123456:BENCH-token';
const SECRET = 'bench_webhook_secret';
const APP_SECRET = 'bench_app_secret';
const PHONE_ID = '106540352242922';
const WA_TOKEN = 'EAAG-bench';
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Desk exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('Desk did not start within 60 s');
}

interface Run {
  name: string;
  acksPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  acked: number;
  non2xx: number;
  errors: number;
}

async function load(name: string, url: string, path: string, body: (n: number) => { body: string; headers: Record<string, string> }): Promise<Run> {
  let n = 0;
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
    name,
    acksPerSecond: result['2xx'] / (result.duration || SECONDS),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    acked: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-bench-'));
  const telegram = await startTelegramStandIn(TOKEN);
  const graph = await startGraphStandIn({ phoneNumberId: PHONE_ID, whatsapp: WA_TOKEN, page: 'x', instagram: 'y' });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(tsx, ['src/main.ts'], {
    cwd: serverDir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO: '1',
      ADMIN_PASSWORD: 'bench-password-123',
      TELEGRAM_API_URL: telegram.url,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      META_GRAPH_URL: graph.url,
      META_APP_SECRET: APP_SECRET,
      META_VERIFY_TOKEN: 'bench-verify',
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_ACCESS_TOKEN: WA_TOKEN,
    },
  });
  const texts = ['hello', 'what are your opening hours', 'I was charged twice', 'olá, bom dia', '¿a qué hora abren?', 'thanks!'];
  try {
    await waitHealthy(url, child);
    // Warm-up: the bot model trains at start; wait until a webhook is answered quickly.
    for (let i = 0; i < 50; i += 1) {
      const started = performance.now();
      await fetch(`${url}/channels/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify({ update_id: i + 1, message: { message_id: 900_000 + i, chat: { id: 1, type: 'private' }, date: 1, text: 'hello' } }),
      });
      if (performance.now() - started < 20 && i > 5) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const telegramRun = await load('Telegram (secret header)', url, '/channels/telegram/webhook', (n) => ({
      body: JSON.stringify({
        update_id: 100_000 + n,
        message: {
          message_id: n,
          from: { id: 10_000 + (n % 500), is_bot: false, first_name: 'Load', last_name: `User ${n % 500}` },
          chat: { id: 10_000 + (n % 500), type: 'private', first_name: 'Load' },
          date: 1_700_000_000 + n,
          text: texts[n % texts.length],
        },
      }),
      headers: { 'x-telegram-bot-api-secret-token': SECRET },
    }));

    const whatsappRun = await load('WhatsApp (HMAC of raw body)', url, '/channels/meta/webhook', (n) => {
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
                  messages: [{ from, id: `wamid.bench-${n}`, timestamp: String(1_700_000_000 + n), type: 'text', text: { body: texts[n % texts.length] } }],
                },
              },
            ],
          },
        ],
      });
      return { body, headers: { 'x-hub-signature-256': metaSignatureOf(body, APP_SECRET) } };
    });

    // Let the outbox drain a little, then stop Desk and check every acknowledged webhook was stored.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    const db = new Database(join(dataDir, 'desk.sqlite'), { readonly: true });
    const stored = (channel: string) =>
      (db.prepare("SELECT COUNT(*) AS n FROM messages WHERE channel = ? AND author_kind = 'user'").get(channel) as { n: number }).n;
    const sent = (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'").get() as { n: number }).n;
    const storedTelegram = stored('telegram');
    const storedWhatsapp = stored('whatsapp');
    db.close();

    console.log(`\nWebhook load: ${CONNECTIONS} connections, ${SECONDS} s per channel, Desk in a child process on loopback (${process.platform}, Node ${process.version})\n`);
    console.table(
      [telegramRun, whatsappRun].map((r) => ({
        webhook: r.name,
        'acks/s': Math.round(r.acksPerSecond),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        'max ms': r.max,
        acked: r.acked,
        'non-2xx': r.non2xx,
        errors: r.errors,
      })),
    );
    console.log(`Stored user messages: telegram ${storedTelegram} (acked ${telegramRun.acked}), whatsapp ${storedWhatsapp} (acked ${whatsappRun.acked})`);
    console.log(`Outbound replies delivered to the stand-ins meanwhile: ${sent}`);
    if (storedTelegram < telegramRun.acked || storedWhatsapp < whatsappRun.acked) {
      console.error('An acknowledged webhook was not stored!');
      process.exitCode = 1;
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all([telegram.close(), graph.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
