/**
 * WAL pages written per inbound message: Telegram messages taken from the inbox by the batched
 * processor (as bench:engine does) into a file-backed SQLite database with no checkpoint at all, so
 * the WAL keeps every page each commit wrote. Its frames are then read from the file and each one is
 * put to the table or index that owns its page (SQLite's dbstat), next to the baseline: the pages
 * the same rows take in the database file (its growth over the run), i.e. what a commit would write
 * if every page it wrote were new rows only. Their ratio is the write amplification.
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:wal   [MESSAGES=3000 CHATS=300 BATCH=200 WARM=5000 TOP=12]
 */
import { closeSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { loadavg, } from 'node:os';
import { decodeInboxEvent } from '../src/channels/inbound/inbox-events.ts';
import { InboxProcessor } from '../src/inbox/inbox-processor.ts';
import { openBenchDesk } from './support/bench-desk.ts';
import { telegramTextUpdate } from './support/telegram-update.ts';

const MESSAGES = Number(process.env.MESSAGES ?? 3000);
const CHATS = Number(process.env.CHATS ?? 300);
const BATCH = Number(process.env.BATCH ?? 200);
const TOP = Number(process.env.TOP ?? 12);
/** Messages already in the database before the measured ones (other chats): random keys cost more as the indexes grow. */
const WARM = Number(process.env.WARM ?? 5000);
const TEXTS = ['oi, tudo bem?', 'que horas vocês fecham?', 'hola, buenas tardes', '¿abren los sábados?', 'hello there', 'when do you open on saturday?', 'something the bot does not know about'];

const update = (n: number, chatBase: number) =>
  telegramTextUpdate({ updateId: n, chatId: chatBase + (n % CHATS), firstName: 'Bench', lastName: `User ${n % CHATS}`, date: 1_700_000_000 + n, text: TEXTS[n % TEXTS.length] ?? '' });

/** The page number of every frame in a WAL file (its 32-byte header, then 24-byte frame headers each followed by a page). */
function walFramePages(file: string): number[] {
  const size = statSync(file).size;
  if (size < 32) return [];
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(32);
    readSync(fd, header, 0, 32, 0);
    const pageSize = header.readUInt32BE(8);
    const frame = Buffer.alloc(24);
    const pages: number[] = [];
    for (let at = 32; at + 24 + pageSize <= size; at += 24 + pageSize) {
      readSync(fd, frame, 0, 24, at);
      pages.push(frame.readUInt32BE(0));
    }
    return pages;
  } finally {
    closeSync(fd);
  }
}

const { dir, config, db, raw, services } = await openBenchDesk('wal');
try {
  await services.retrainBot();
  const processor = new InboxProcessor(
    { db, clock: services.clock, events: services.events, engine: services.engine, messages: services.messages, inbox: services.inboxRepo, decode: decodeInboxEvent },
    { batchSize: BATCH },
  );
  // Warm-up on other chats (a database that already holds conversations), not counted.
  for (let n = 1; n <= WARM; n += 1) await services.inboxRepo.insert('telegram', `warm-${n}`, update(n, 900_000), services.clock());
  await processor.drain();
  for (let n = 1; n <= MESSAGES; n += 1) await services.inboxRepo.insert('telegram', `m-${n}`, update(n, 10_000), services.clock());

  // From here no checkpoint: the WAL holds every page the processor's commits wrote.
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.pragma('wal_autocheckpoint = 0');
  const pagesBefore = raw.pragma('page_count', { simple: true }) as number;
  const freeBefore = raw.pragma('freelist_count', { simple: true }) as number;
  const started = performance.now();
  let batches = 0;
  while ((await processor.runBatch()) > 0) batches += 1;
  const ms = performance.now() - started;

  const frames = walFramePages(`${config.databaseFile}-wal`);
  const owners = new Map<number, string>();
  for (const row of raw.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[]) owners.set(row.pageno, row.name);
  const byName = new Map<string, number>();
  for (const page of frames) {
    const name = owners.get(page) ?? (page === 1 ? '(header page)' : '(free or freed page)');
    byName.set(name, (byName.get(name) ?? 0) + 1);
  }
  const grown = (raw.pragma('page_count', { simple: true }) as number) - pagesBefore - ((raw.pragma('freelist_count', { simple: true }) as number) - freeBefore);
  const stored = (raw.prepare("SELECT COUNT(*) AS n FROM messages WHERE author_kind = 'user' AND channel_message_id NOT LIKE '9%'").get() as { n: number }).n;

  const perMessage = (n: number) => (n / MESSAGES).toFixed(2).padStart(7);
  console.log(`WAL pages per inbound message: ${MESSAGES} Telegram messages over ${CHATS} chats, batches of ${BATCH}, after ${WARM} others, no checkpoints during the run`);
  console.log(`(${process.platform}, Node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; page size ${raw.pragma('page_size', { simple: true })} B)`);
  console.log(`  stored ${stored} user messages in ${batches} batches (${Math.round(ms)} ms)`);
  console.log(`  WAL frames written:                            ${perMessage(frames.length)} pages/message  (${frames.length} in all)`);
  console.log(`  baseline, the pages the new rows take (growth): ${perMessage(grown)} pages/message  (${grown} in all)`);
  console.log(`  write amplification (WAL frames / growth):     ${(frames.length / Math.max(1, grown)).toFixed(2)}x`);
  console.log(`  frames by table or index (pages/message):`);
  for (const [name, count] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`    ${name.padEnd(40)} ${perMessage(count)}`);
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
