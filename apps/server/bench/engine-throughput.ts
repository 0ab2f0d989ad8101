/**
 * Engine throughput: inbound web chat messages handled per second (contact lookup, bot
 * classification, user message + bot answer + change log, one transaction each) on a
 * file-backed database, against a plain better-sqlite3 loop inserting the same message rows
 * (one transaction per inbound message, like the engine) in the same run.
 *
 *   pnpm --filter @desk/server bench:engine   [MESSAGES=3000 VISITORS=300]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { demoIntents } from '../src/demo/demo-intents.ts';
import { createServices } from '../src/services.ts';

const MESSAGES = Number(process.env.MESSAGES ?? 3000);
const VISITORS = Number(process.env.VISITORS ?? 300);
const TEXTS = [
  'oi, tudo bem?',
  'que horas vocês fecham?',
  'hola, buenas tardes',
  '¿abren los sábados?',
  'hello there',
  'when do you open on saturday?',
  'something the bot does not know about',
];

const dir = mkdtempSync(join(tmpdir(), 'desk-bench-'));
try {
  const config = loadConfig({ DATA_DIR: join(dir, 'engine'), WEB_DIST: join(dir, 'none') });
  const db = openDatabase(config.databaseFile);
  const services = createServices(db, config);
  for (const intent of demoIntents(null)) services.intents.create(intent);
  await services.retrainBot();
  const visitors = Array.from({ length: VISITORS }, () => crypto.randomUUID());
  const inbound = (i: number) => ({ channel: 'webchat' as const, externalId: visitors[i % VISITORS] as string, text: TEXTS[i % TEXTS.length] as string });

  // Warm-up on separate visitors so JIT and statement caches don't count against either side.
  for (let i = 0; i < 200; i += 1) await services.engine.handleInbound({ ...inbound(i), externalId: `warm-${i % 20}` });
  const before = (db.prepare('SELECT MAX(rowid) AS n FROM messages').get() as { n: number }).n;

  const engineStart = performance.now();
  for (let i = 0; i < MESSAGES; i += 1) await services.engine.handleInbound(inbound(i));
  const engineMs = performance.now() - engineStart;

  const rows = db.prepare('SELECT * FROM messages WHERE rowid > ? ORDER BY rowid').all(before) as Record<string, unknown>[];
  const replies = rows.filter((r) => r.author_kind === 'bot').length;

  // Baseline: the same message rows into a fresh database with the same schema and pragmas.
  const plain = openDatabase(join(dir, 'plain', 'plain.sqlite'));
  plain.pragma('foreign_keys = OFF');
  const insert = plain.prepare(
    `INSERT INTO messages (id, conversation_id, ticket_id, author_kind, agent_id, text, attachments, channel, channel_message_id, delivery, created_at)
     VALUES (@id, @conversation_id, @ticket_id, @author_kind, @agent_id, @text, @attachments, @channel, @channel_message_id, @delivery, @created_at)`,
  );
  const perInbound: Record<string, unknown>[][] = [];
  for (const row of rows) {
    if (row.author_kind === 'user') perInbound.push([row]);
    else perInbound.at(-1)?.push(row);
  }
  const insertGroup = plain.transaction((group: Record<string, unknown>[]) => {
    for (const row of group) insert.run(row);
  });
  const plainStart = performance.now();
  for (const group of perInbound) insertGroup.immediate(group);
  const plainMs = performance.now() - plainStart;

  const enginePerSecond = (MESSAGES / engineMs) * 1000;
  const plainPerSecond = (MESSAGES / plainMs) * 1000;
  console.log(`Engine throughput (${MESSAGES} inbound messages, ${VISITORS} visitors, ${replies} bot replies, file-backed SQLite in WAL mode)`);
  console.log(`  engine.handleInbound:     ${enginePerSecond.toFixed(0).padStart(7)} msg/s  (${(engineMs / MESSAGES).toFixed(3)} ms each)`);
  console.log(`  plain better-sqlite3 loop: ${plainPerSecond.toFixed(0).padStart(7)} msg/s  (${rows.length} rows, one transaction per inbound)`);
  console.log(`  ratio (engine time / plain time): ${(engineMs / plainMs).toFixed(1)}x`);
  plain.close();
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
