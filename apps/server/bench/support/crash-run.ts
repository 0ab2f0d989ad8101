/**
 * The crash scenario, shared by the benchmark (bench/crash-redelivery.ts, 2,000 updates) and a test
 * (a smaller burst): Desk in its own process group takes a Telegram burst, is SIGKILLed when 40 % of
 * the updates are acknowledged, restarts on the same data, gets every update redelivered (acknowledged
 * or not, like Telegram after an outage), and drains its outbox into a Telegram stand-in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LOAD_BOT_MESSAGE_IDS, type StandIn, startTelegramStandIn } from '../../test/support/platform-stand-ins.ts';
import { killAll, killGroup, metricValue, startDesk } from './processes.ts';
import { telegramTextUpdate } from './telegram-update.ts';

const TOKEN = '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const SECRET = 'crash-burst-secret';
const METRICS_TOKEN = 'crash-metrics';
/** Texts the demo bot answers without handing off: every update expects exactly one reply. */
const TEXTS = ['hello', 'what are your opening hours', 'good morning', 'are you open on saturday', 'olá, bom dia', '¿a qué hora abren?'];

export interface CrashOptions {
  updates: number;
  chats: number;
  /** Fraction of acknowledged updates at which the server is killed. */
  killAt?: number;
  /** Requests in flight while sending the burst. */
  concurrency?: number;
}

export interface CrashReport {
  updates: number;
  chats: number;
  ackedBeforeKill: number;
  /** Replies that reached the platform but whose outbox row was not marked sent at the kill. */
  inFlightAtKill: number;
  inFlightConversations: number;
  lost: number;
  storedTwice: number;
  repliesTwice: number;
  /** The most replies sent twice to one conversation. */
  maxTwicePerConversation: number;
  repliesMissing: number;
  sentBeforeKill: number;
  sentInAll: number;
  seconds: number;
}

const update = (n: number, chats: number) => {
  const chat = 70_000 + (n % chats);
  return telegramTextUpdate({ updateId: 1_000_000 + n, messageId: n, chatId: chat, firstName: 'Crash', lastName: `${n % chats}`, text: TEXTS[n % TEXTS.length] ?? '' });
};

/** Posts updates with bounded concurrency; `stop()` makes it send no more. Answers which were acknowledged. */
async function deliver(url: string, numbers: number[], chats: number, concurrency: number, onAck: (acked: number) => void, stopped: () => boolean) {
  const acked = new Set<number>();
  let next = 0;
  const worker = async () => {
    while (next < numbers.length && !stopped()) {
      const n = numbers[next++] as number;
      try {
        const res = await fetch(`${url}/channels/telegram/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: update(n, chats),
        });
        await res.arrayBuffer();
        if (res.status === 200) {
          acked.add(n);
          onAck(acked.size);
        }
      } catch {
        // The server died under this request: not acknowledged.
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return acked;
}

const sendsPerChat = (telegram: StandIn) => {
  const counts = new Map<string, number>();
  for (const r of telegram.received((req) => req.path === `/bot${TOKEN}/sendMessage`)) {
    const chat = String(r.json?.chat_id);
    counts.set(chat, (counts.get(chat) ?? 0) + 1);
  }
  return counts;
};

function perChat(db: Database.Database, sql: string): Map<string, number> {
  const rows = db.prepare(sql).all() as { chat: string; n: number }[];
  return new Map(rows.map((r) => [r.chat, r.n]));
}

export async function runCrash(options: CrashOptions): Promise<CrashReport> {
  const { updates, chats, killAt = 0.4, concurrency = 32 } = options;
  const started = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-crash-burst-'));
  const telegram = await startTelegramStandIn(TOKEN, {}, { firstMessageId: LOAD_BOT_MESSAGE_IDS });
  const env = {
    DATA_DIR: dataDir,
    DEMO: '1',
    METRICS_TOKEN,
    TELEGRAM_API_URL: telegram.url,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  };
  const first = await startDesk(env);
  try {
    const numbers = Array.from({ length: updates }, (_, i) => i + 1);
    let killing: Promise<void> | null = null;
    const killAfter = Math.ceil(updates * killAt);
    const ackedBeforeKill = await deliver(first.url, numbers, chats, concurrency, (acked) => {
      if (acked >= killAfter && !killing) killing = killGroup(first.child, 'SIGKILL');
    }, () => killing !== null);
    await (killing ?? killGroup(first.child, 'SIGKILL'));

    // At the kill: which replies reached the platform without their outbox row being marked sent.
    const atKill = new Database(join(dataDir, 'desk.sqlite'));
    const markedSent = perChat(
      atKill,
      `SELECT c.external_id AS chat, COUNT(*) AS n FROM outbox o JOIN messages m ON m.id = o.message_id
         JOIN conversations c ON c.id = m.conversation_id WHERE o.state = 'sent' AND c.channel = 'telegram' GROUP BY c.external_id`,
    );
    atKill.close();
    const sentAtKill = sendsPerChat(telegram);
    let inFlightAtKill = 0;
    let inFlightConversations = 0;
    for (const [chat, sent] of sentAtKill) {
      const unmarked = Math.max(0, sent - (markedSent.get(chat) ?? 0));
      inFlightAtKill += unmarked;
      if (unmarked > 0) inFlightConversations += 1;
    }
    const sentBeforeKill = [...sentAtKill.values()].reduce((a, b) => a + b, 0);

    // Restart on the same data; Telegram redelivers every update, acknowledged or not.
    const second = await startDesk(env);
    const redelivered = await deliver(second.url, numbers, chats, concurrency, () => {}, () => false);
    if (redelivered.size !== updates) throw new Error(`Only ${redelivered.size} of ${updates} redeliveries were acknowledged.`);
    const deadline = Date.now() + 180_000;
    for (;;) {
      const depth = await metricValue(second.url, METRICS_TOKEN, /^desk_inbox_depth (\S+)$/m);
      const pending = await metricValue(second.url, METRICS_TOKEN, /^desk_outbox_messages\{channel="telegram",state="pending"\} (\S+)$/m);
      if (depth === 0 && (pending === 0 || Number.isNaN(pending))) break;
      if (Date.now() > deadline) throw new Error(`Did not drain: inbox ${depth}, outbox ${pending}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await killGroup(second.child, 'SIGTERM');

    const db = new Database(join(dataDir, 'desk.sqlite'), { readonly: true });
    const ids = numbers.map((n) => `${70_000 + (n % chats)}:${n}`);
    const storedCount = new Map<string, number>();
    for (const row of db.prepare("SELECT channel_message_id AS id, COUNT(*) AS n FROM messages WHERE channel = 'telegram' AND author_kind = 'user' GROUP BY channel_message_id").all() as {
      id: string;
      n: number;
    }[]) {
      storedCount.set(row.id, row.n);
    }
    const lost = ids.filter((id) => !storedCount.has(id)).length;
    const storedTwice = [...storedCount.values()].filter((n) => n > 1).length;
    const userPerChat = perChat(
      db,
      "SELECT c.external_id AS chat, COUNT(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.author_kind = 'user' AND c.channel = 'telegram' GROUP BY c.external_id",
    );
    db.close();

    // Every update expects one bot reply, sent once.
    const sent = sendsPerChat(telegram);
    let repliesTwice = 0;
    let repliesMissing = 0;
    let maxTwicePerConversation = 0;
    for (const [chat, expected] of userPerChat) {
      const got = sent.get(chat) ?? 0;
      const twice = Math.max(0, got - expected);
      repliesTwice += twice;
      repliesMissing += Math.max(0, expected - got);
      maxTwicePerConversation = Math.max(maxTwicePerConversation, twice);
    }
    return {
      updates,
      chats,
      ackedBeforeKill: ackedBeforeKill.size,
      inFlightAtKill,
      inFlightConversations,
      lost,
      storedTwice,
      repliesTwice,
      maxTwicePerConversation,
      repliesMissing,
      sentBeforeKill,
      sentInAll: [...sent.values()].reduce((a, b) => a + b, 0),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await killAll();
    await telegram.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
