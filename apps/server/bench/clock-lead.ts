/**
 * How far ahead of real time the server's stored times run at high throughput: inbound Telegram
 * messages stored through the inbox processor (messages, bot answers, outbox rows, reports), as
 * fast as this machine goes; then the newest time in each table against the wall clock. A clock
 * that gives every stamp its own millisecond runs ahead by (stamps/s − 1,000) ms each second.
 *
 *   npx tsx apps/server/bench/clock-lead.ts   [MESSAGES=5000 CHATS=500]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeInboxEvent } from '../src/channels/inbound/inbox-events.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { demoIntents } from '../src/demo/demo-intents.ts';
import { InboxProcessor } from '../src/inbox/inbox-processor.ts';
import { createServices } from '../src/services.ts';
import { telegramTextUpdate } from './support/telegram-update.ts';

const MESSAGES = Number(process.env.MESSAGES ?? 5000);
const CHATS = Number(process.env.CHATS ?? 500);
const TEXTS = ['oi, tudo bem?', 'que horas vocês fecham?', '¿abren los sábados?', 'when do you open on saturday?', 'something the bot does not know about'];

const update = (n: number) => telegramTextUpdate({ updateId: n, chatId: 10_000 + (n % CHATS), firstName: 'Bench', date: 1_700_000_000 + n, text: TEXTS[n % TEXTS.length] ?? '' });

const dir = mkdtempSync(join(tmpdir(), 'desk-bench-clock-'));
try {
  const config = loadConfig({ DATA_DIR: join(dir, 'data'), WEB_DIST: join(dir, 'none') });
  const db = openDatabase(config.databaseFile);
  const raw = db.sqlite as NonNullable<typeof db.sqlite>; // SQLite: the newest times are read back directly
  const services = await createServices(db, config);
  for (const intent of demoIntents(null)) await services.intents.create(intent);
  await services.retrainBot();
  const { engine, inboxRepo } = services;
  const processor = new InboxProcessor({ db, clock: services.clock, events: services.events, engine, messages: services.messages, inbox: inboxRepo, decode: decodeInboxEvent });
  const started = Date.now();
  for (let n = 1; n <= MESSAGES; n += 1) await inboxRepo.insert('telegram', `m-${n}`, update(n), new Date().toISOString());
  await processor.drain();
  const wall = Date.now();
  const seconds = (wall - started) / 1000;
  const newest = (sqlText: string) => Date.parse((raw.prepare(sqlText).get() as { at: string }).at) - wall;
  const lead = {
    messages: newest('SELECT MAX(created_at) AS at FROM messages'),
    outbox: newest('SELECT MAX(next_attempt_at) AS at FROM outbox'),
    botTurns: newest('SELECT MAX(created_at) AS at FROM bot_turns'),
    inboxDone: newest('SELECT MAX(processed_at) AS at FROM inbox'),
  };
  const stored = (raw.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
  console.log(
    JSON.stringify({ messages: MESSAGES, seconds, messagesPerSecond: Math.round(MESSAGES / seconds), storedMessages: stored, newestTimeAheadOfWallMs: lead }),
  );
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
