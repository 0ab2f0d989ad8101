/**
 * Engine throughput: inbound Telegram messages taken from the inbox by the batched processor (one
 * transaction per batch: the messages, the bot answers, the outbox rows, the change log, new
 * contacts and conversations), next to a plain better-sqlite3 loop that writes exactly the rows
 * the processor wrote (inserts the new rows, replaces the changed ones with their final state: the
 * inbox rows marked done, report counters), batch by batch, one transaction per batch, into a
 * fresh database with the same schema and pragmas. Both on files in WAL mode, in the same run, and
 * both checkpointed as Desk's production server does: never in a commit, by a worker thread.
 *
 * The bot's NLU runs before each batch's transaction; its time is measured and printed apart, so
 * the ratio compares the storage work with the raw inserts. The old path (engine.handleInbound,
 * one transaction per message, NLU included) is printed for reference.
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:engine   [MESSAGES=5000 CHATS=500 BATCH=200 SLICE_MS=5 CHECKPOINTS=commit]
 */
import { mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeInboxEvent } from '../src/channels/inbound/inbox-events.ts';
import { loadConfig } from '../src/config.ts';
import { startCheckpointer } from '../src/db/checkpointer.ts';
import { openDatabase, openSqlite } from '../src/db/database.ts';
import { demoIntents } from '../src/demo/demo-intents.ts';
import { InboxProcessor } from '../src/inbox/inbox-processor.ts';
import { createServices } from '../src/services.ts';
import { telegramTextUpdate } from './support/telegram-update.ts';

const MESSAGES = Number(process.env.MESSAGES ?? 5000);
const CHATS = Number(process.env.CHATS ?? 500);
const BATCH = Number(process.env.BATCH ?? 200);
const TEXTS = [
  'oi, tudo bem?',
  'que horas vocês fecham?',
  'hola, buenas tardes',
  '¿abren los sábados?',
  'hello there',
  'when do you open on saturday?',
  'something the bot does not know about',
];

/**
 * This thread's CPU time in ms (Linux: /proc/thread-self/schedstat), or null elsewhere. Other
 * processes on a shared machine stretch the wall times of both sides unevenly; they move the CPU
 * time each side spends much less. The file is opened once and read again from its start (one
 * syscall): the NLU is timed per message, and opening the file each time cost the storage side
 * several µs per message of the bench's own work.
 */
const schedstat = (() => {
  try {
    return openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return null;
  }
})();
const schedstatBuffer = Buffer.alloc(128);
const threadCpuMs = (): number | null => {
  if (schedstat === null) return null;
  const length = readSync(schedstat, schedstatBuffer, 0, schedstatBuffer.length, 0);
  return Number(schedstatBuffer.toString('latin1', 0, length).split(' ')[0]) / 1e6;
};
const cpuSince = (start: number | null) => (start === null ? 0 : (threadCpuMs() ?? start) - start);

const update = (n: number, chatBase: number) =>
  telegramTextUpdate({ updateId: n, chatId: chatBase + (n % CHATS), firstName: 'Bench', lastName: `User ${n % CHATS}`, date: 1_700_000_000 + n, text: TEXTS[n % TEXTS.length] ?? '' });

const dir = mkdtempSync(join(tmpdir(), 'desk-bench-engine-'));
try {
  const config = loadConfig({ DATA_DIR: join(dir, 'engine'), WEB_DIST: join(dir, 'none') });
  const db = openDatabase(config.databaseFile);
  const raw = db.sqlite as NonNullable<typeof db.sqlite>; // SQLite here: the rows written are read back by rowid
  // As in production (main.ts, lifecycle/processing-thread-entry.ts): no commit checkpoints the WAL, a
  // worker thread does. The plain loop's database gets the same (below).
  // CHECKPOINTS=commit: SQLite's default instead, on both (a commit that grows the WAL past 1,000 pages checkpoints).
  const inCommits = process.env.CHECKPOINTS === 'commit';
  const checkpointers = inCommits ? [] : [startCheckpointer([{ db: raw, file: config.databaseFile }])];
  const statements = countStatements(raw);
  const services = await createServices(db, config);
  for (const intent of demoIntents(null)) await services.intents.create(intent);
  await services.retrainBot();
  const { engine, inboxRepo } = services;
  const processor = new InboxProcessor(
    { db, clock: services.clock, events: services.events, engine, messages: services.messages, inbox: inboxRepo, decode: decodeInboxEvent },
    { batchSize: BATCH, ...(process.env.SLICE_MS && { sliceMs: Number(process.env.SLICE_MS) }) },
  );

  // The bot's reading is timed apart (it runs before the transaction).
  let nluMs = 0;
  let nluCpuMs = 0;
  const read = engine.read.bind(engine);
  engine.read = async (input) => {
    const started = performance.now();
    const cpuStart = threadCpuMs();
    try {
      return await read(input);
    } finally {
      nluMs += performance.now() - started;
      nluCpuMs += cpuSince(cpuStart);
    }
  };

  // Warm-up on other chats (JIT, statement caches), not counted.
  for (let n = 1; n <= 1000; n += 1) await inboxRepo.insert('telegram', `warm-${n}`, update(n, 900_000), services.clock());
  await processor.drain();

  const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'inbox'").all() as { name: string }[]).map((t) => t.name);
  const maxRowids = () => Object.fromEntries(tables.map((t) => [t, (raw.prepare(`SELECT COALESCE(MAX(rowid), 0) AS n FROM "${t}"`).get() as { n: number }).n]));
  for (let n = 1; n <= MESSAGES; n += 1) await inboxRepo.insert('telegram', `m-${n}`, update(n, 10_000), services.clock());
  // Both sides start with an empty WAL: a checkpoint (and its fsync) owed to the setup is not timed.
  raw.pragma('wal_checkpoint(TRUNCATE)');

  // The baseline: the same rows into a fresh database with the same schema, one transaction per batch.
  const plainFile = join(dir, 'plain', 'plain.sqlite');
  const plain = openSqlite(plainFile);
  plain.pragma('foreign_keys = OFF');
  if (!inCommits) checkpointers.push(startCheckpointer([{ db: plain, file: plainFile }]));
  const inserts = new Map<string, (row: Record<string, unknown>) => void>();
  const insertOf = (table: string, row: Record<string, unknown>) => {
    let insert = inserts.get(table);
    if (!insert) {
      const columns = Object.keys(row);
      const statement = plain.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
      insert = (r) => void statement.run(r);
      inserts.set(table, insert);
    }
    return insert;
  };
  // A row the batch changed (an inbox row marked done, a report counter, a conversation's language)
  // is written as it ended up: a replace keyed by its primary key.
  const replaces = new Map<string, (row: Record<string, unknown>) => void>();
  const replaceOf = (table: string, row: Record<string, unknown>) => {
    let replace = replaces.get(table);
    if (!replace) {
      const columns = Object.keys(row);
      const statement = plain.prepare(`INSERT OR REPLACE INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
      replace = (r) => void statement.run(r);
      replaces.set(table, replace);
    }
    return replace;
  };
  type Written = { table: string; rows: Record<string, unknown>[] };
  const writeBatch = plain.transaction((inserted: Written[], changed: Written[]) => {
    for (const { table, rows } of inserted) for (const row of rows) insertOf(table, row)(row);
    for (const { table, rows } of changed) for (const row of rows) replaceOf(table, row)(row);
  });
  plain.pragma('wal_checkpoint(TRUNCATE)');

  // Batch by batch, interleaved so both sides see the same moment of a shared machine: the
  // processor's batch (timed), the rows it wrote (read untimed), the same rows into the plain
  // database (timed).
  nluMs = 0;
  nluCpuMs = 0;
  let batchedMs = 0;
  let plainMs = 0;
  let batchedCpuMs = 0;
  let plainCpuMs = 0;
  let batches = 0;
  let rowCount = 0;
  let before = maxRowids();
  // Rows changed by a batch, found by comparing them before and after it (untimed). Append-only
  // tables are left out; a message changed later (linked to a ticket) shows in the change log. The
  // copies are kept by SQLite (an in-memory database beside Desk's file, read through its own
  // connection), not in this process's heap: thousands of rows held there during the batch made the
  // processor's garbage collections copy them, a cost of the bench's, not of Desk's.
  const appendOnly = new Set(['change_log', 'messages', 'outbox', 'bot_turns']);
  const snapshotTables = [...tables.filter((t) => !appendOnly.has(t)), 'inbox'];
  const copies = new BetterSqlite3(':memory:');
  copies.prepare('ATTACH DATABASE ? AS desk').run(config.databaseFile);
  const snapshot = () => {
    for (const table of snapshotTables) {
      copies.exec(`DROP TABLE IF EXISTS main."was_${table}"`);
      copies.exec(`CREATE TABLE main."was_${table}" AS SELECT rowid AS "__rowid", * FROM desk."${table}"${table === 'inbox' ? " WHERE state = 'pending'" : ''}`);
    }
  };
  const changedRows = (logFrom: number): Written[] => {
    const changed: Written[] = [];
    for (const table of snapshotTables) {
      const rows = copies
        .prepare(`SELECT * FROM (SELECT rowid AS "__rowid", * FROM desk."${table}" EXCEPT SELECT * FROM main."was_${table}") WHERE "__rowid" IN (SELECT "__rowid" FROM main."was_${table}")`)
        .all() as Record<string, unknown>[];
      changed.push({ table, rows: rows.map(({ __rowid, ...row }) => row) });
    }
    const messages = raw
      .prepare("SELECT m.* FROM messages m WHERE m.id IN (SELECT entity_id FROM change_log WHERE seq > ? AND entity = 'message') AND m.rowid <= ?")
      .all(logFrom, before.messages) as Record<string, unknown>[];
    changed.push({ table: 'messages', rows: messages });
    return changed;
  };
  let updatedCount = 0;
  statements.reset();
  statements.pause();
  for (;;) {
    snapshot();
    statements.resume();
    const started = performance.now();
    const cpuStart = threadCpuMs();
    const finished = await processor.runBatch();
    batchedMs += performance.now() - started;
    batchedCpuMs += cpuSince(cpuStart);
    statements.pause();
    if (finished === 0) break;
    const after = maxRowids();
    const batch = tables.map((table) => ({ table, rows: raw.prepare(`SELECT * FROM "${table}" WHERE rowid > ? AND rowid <= ?`).all(before[table], after[table]) as Record<string, unknown>[] }));
    const changed = changedRows(before.change_log as number);
    before = after;
    batches += 1;
    rowCount += batch.reduce((sum, t) => sum + t.rows.length, 0);
    updatedCount += changed.reduce((sum, t) => sum + t.rows.length, 0);
    const plainStart = performance.now();
    const plainCpuStart = threadCpuMs();
    writeBatch.immediate(batch, changed);
    plainMs += performance.now() - plainStart;
    plainCpuMs += cpuSince(plainCpuStart);
  }
  const statementsRun = statements.count();
  const stored = (raw.prepare("SELECT COUNT(*) AS n FROM messages WHERE author_kind = 'user' AND channel_message_id NOT LIKE '9%'").get() as { n: number }).n;

  // Reference: the old path, one engine transaction per message with the NLU inside the timing.
  const singleCount = Math.min(1000, MESSAGES);
  const singleStart = performance.now();
  for (let n = 1; n <= singleCount; n += 1) {
    await engine.handleInbound({ channel: 'telegram', externalId: String(500_000 + (n % CHATS)), text: TEXTS[n % TEXTS.length] as string, channelMessageId: `single-${n}` });
  }
  const singleMs = performance.now() - singleStart;

  const storageMs = batchedMs - nluMs;
  const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1000).toString().padStart(7)} msg/s`;
  console.log(`Engine throughput: ${MESSAGES} inbound Telegram messages over ${CHATS} chats, batches of ${BATCH}, file-backed SQLite in WAL mode`);
  console.log(`(${process.platform}, Node ${process.version}; a shared 2-core machine: compare the ratios, not the absolute figures)`);
  console.log(`  WAL checkpoints: ${inCommits ? 'in the commits (SQLite’s default), on both databases' : 'by a worker thread on each database, none in a commit (as Desk runs)'}`);
  console.log(`  stored ${stored} user messages in ${batches} batches, ${rowCount} rows written in all tables`);
  console.log(
    `  the plain loop writes the same rows: inserts the new ones, ${(rowCount / MESSAGES).toFixed(1)} per message (user message, bot answer, outbox row, bot turn; change-log rows for what agents see: contacts, tickets and the messages in them; contacts, conversations, report rows when new), and replaces the changed ones as they ended up, ${(updatedCount / MESSAGES).toFixed(1)} per message (the inbox row marked done, report counters, a conversation's language)`,
  );
  console.log(`  SQL statements the processor ran per inbound message (its reads before the transactions included, BEGIN/COMMIT/savepoints too): ${(statementsRun / MESSAGES).toFixed(1)}`);
  console.log(`  batched processor, storage (transactions):     ${rate(MESSAGES, storageMs)}  (${(storageMs / MESSAGES).toFixed(3)} ms each)`);
  console.log(`  plain better-sqlite3, same rows, same batches: ${rate(MESSAGES, plainMs)}  (${(plainMs / MESSAGES).toFixed(3)} ms each)`);
  console.log(`  ratio (plain time / batched time): ${(plainMs / storageMs).toFixed(2)}x  (goal >= 0.5x)  ${plainMs / storageMs >= 0.5 ? 'OK' : 'MISSED'}`);
  if (threadCpuMs() !== null) {
    const storageCpuMs = batchedCpuMs - nluCpuMs;
    console.log(
      `  CPU time of this thread per message (a figure other processes on a shared machine move less): batched storage ${((storageCpuMs / MESSAGES) * 1000).toFixed(1)} µs, plain loop ${((plainCpuMs / MESSAGES) * 1000).toFixed(1)} µs, ratio ${(plainCpuMs / storageCpuMs).toFixed(2)}x`,
    );
  }
  console.log(`  bot NLU before the transactions:                ${rate(MESSAGES, nluMs)}  (${(nluMs / MESSAGES).toFixed(3)} ms each)`);
  console.log(`  batched processor, NLU included:               ${rate(MESSAGES, batchedMs)}`);
  console.log(`  reference, engine.handleInbound one by one:    ${rate(singleCount, singleMs)}  (one transaction per message, NLU included)`);
  for (const checkpointer of checkpointers) await checkpointer.stop();
  plain.close();
  copies.close();
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Counts the statements run on a better-sqlite3 connection (every statement, cached or not, is
 * prepared through `prepare`; install before the first query).
 */
function countStatements(connection: import('better-sqlite3').Database) {
  let count = 0;
  let counting = true;
  const prepare = connection.prepare.bind(connection);
  connection.prepare = ((source: string) => {
    const statement = prepare(source);
    for (const method of ['run', 'get', 'all'] as const) {
      const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
      Object.assign(statement, {
        [method]: (...args: unknown[]) => {
          if (counting) count += 1;
          return original(...args);
        },
      });
    }
    return statement;
  }) as typeof connection.prepare;
  return {
    reset: () => {
      count = 0;
    },
    pause: () => {
      counting = false;
    },
    resume: () => {
      counting = true;
    },
    count: () => count,
  };
}
