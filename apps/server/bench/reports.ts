/**
 * bench:reports — the Reports page's figures over 100,000 tickets and 1,000,000 messages spread over
 * 90 days, against a bare `SELECT count(*)` over the same tables in the same run (the machine's floor
 * for touching that data once).
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:reports [-- --tickets=100000 --messages=1000000]
 *
 * Seeds a temporary SQLite file: the rows the engine and the tickets leave behind (conversations,
 * messages, tickets) plus what the report recorder writes as it happens (bot turns, roll-ups, ticket
 * timings), through the recorder itself. Then times buildReport (the whole page: every figure, the
 * three charts' data) for 7, 30 and 90 days, all channels and filtered, as an admin; median of 15 runs.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS, type Channel, type HandOffDestination, type ReportQuery, type Ticket, type TicketStatus } from '@desk/core';
import { openDatabase } from '../src/db/database.ts';
import { buildReport } from '../src/reports/report-queries.ts';
import { ReportRecorder, type TurnKind } from '../src/reports/report-recorder.ts';
import { ReportZone } from '../src/reports/report-zone.ts';
import { writeReportSettings } from '../src/reports/report-settings.ts';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const TICKETS = arg('tickets', 100_000);
const MESSAGES = arg('messages', 1_000_000);
const DAYS = 90;
const CONVERSATIONS = Math.round(TICKETS * 1.5);
const INTENTS = 12;
const AGENTS = 10;

// BENCH_REPORTS_DIR=<a directory of its own> keeps the seeded database there and reuses it on the next
// run (profiling). Its own directory: opening a database makes its directory owner-only (0700).
const kept = process.env.BENCH_REPORTS_DIR ? join(process.env.BENCH_REPORTS_DIR, 'desk.sqlite') : undefined;
const dir = kept ? null : mkdtempSync(join(tmpdir(), 'desk-bench-reports-'));
const reuse = kept !== undefined && existsSync(kept);
const db = openDatabase(kept ?? join(dir as string, 'desk.sqlite'));
db.pragma('foreign_keys = OFF');
// The workspace counts its days in São Paulo time (the recorder's daily roll-ups follow the setting).
const settings = { timeZone: 'America/Sao_Paulo', missesRetentionDays: 90 };
if (!reuse) writeReportSettings(db, settings);
const recorder = new ReportRecorder(db, new ReportZone(db));

// mulberry32: a seeded generator, so every run seeds the same data.
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
// A kept database (BENCH_REPORTS_DIR) holds 90 days back from when it was seeded: reuse it the same day.
const now = Date.now();
const start = now - DAYS * 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

const began = performance.now();
if (!reuse) seedAll();

function seedAll() {
const agentIds = Array.from({ length: AGENTS }, (_, i) => `agent-${i}`);
const intentIds = Array.from({ length: INTENTS }, (_, i) => `intent-${i}`);
db.transaction(() => {
  for (const [i, id] of agentIds.entries()) {
    db.prepare("INSERT INTO agents (id, name, email, role, password_hash, active, created_at, updated_at) VALUES (?, ?, ?, 'agent', 'x', 1, ?, ?)").run(id, `Agent ${i}`, `a${i}@bench`, iso(start), iso(start));
  }
  for (const [i, id] of intentIds.entries()) {
    db.prepare("INSERT INTO intents (id, name, phrases, answers, desk, created_at, updated_at) VALUES (?, ?, '[]', '[]', '{}', ?, ?)").run(id, `Intent ${i}`, iso(start), iso(start));
  }
})();

const insertContact = db.prepare("INSERT INTO contacts (id, name, created_at, updated_at) VALUES (?, 'User', ?, ?)");
const insertConversation = db.prepare("INSERT INTO conversations (id, contact_id, channel, external_id, mode, created_at, updated_at) VALUES (?, ?, ?, ?, 'bot', ?, ?)");
const insertTicket = db.prepare(
  "INSERT INTO tickets (id, number, subject, status, priority, assignee_id, contact_id, channel, conversation_id, intent_id, created_at, updated_at, solved_at) VALUES (?, ?, 'Bench', ?, 'normal', ?, ?, ?, ?, ?, ?, ?, ?)",
);
const insertMessage = db.prepare('INSERT INTO messages (id, conversation_id, ticket_id, author_kind, agent_id, text, channel, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');

const messagesPerConversation = MESSAGES / CONVERSATIONS;
let messages = 0;
let tickets = 0;
const BATCH = 2_000;
for (let batchStart = 0; batchStart < CONVERSATIONS; batchStart += BATCH) {
  db.transaction(() => {
    for (let c = batchStart; c < Math.min(CONVERSATIONS, batchStart + BATCH); c += 1) {
      const channel: Channel = pick(CHANNELS);
      const conversationId = randomUUID();
      const contactId = randomUUID();
      let t = start + random() * (DAYS * 86_400_000 - 3_600_000);
      insertContact.run(contactId, iso(t), iso(t));
      insertConversation.run(conversationId, contactId, channel, conversationId, iso(t), iso(t));
      const handsOff = tickets < TICKETS && c % 3 !== 2;
      // Messages up to the conversation's share: user → bot pairs, then the agents' part.
      const count = Math.max(2, Math.round(messagesPerConversation + (random() - 0.5) * 2));
      const botPairs = handsOff ? Math.max(1, Math.floor(count / 4)) : Math.floor(count / 2);
      const intentId = pick(intentIds);
      for (let p = 0; p < botPairs && messages < MESSAGES; p += 1) {
        const last = p === botPairs - 1;
        const userMessageId = randomUUID();
        insertMessage.run(userMessageId, conversationId, null, 'user', null, 'hello there', channel, iso(t));
        insertMessage.run(randomUUID(), conversationId, null, 'bot', null, 'Hi!', channel, iso(t + 500));
        messages += 2;
        const roll = random();
        const kind: TurnKind = last && handsOff ? 'answer' : roll < 0.7 ? 'answer' : roll < 0.85 ? 'fallback' : roll < 0.95 ? 'ask' : 'offer';
        const handOff: HandOffDestination | null = last && handsOff ? pick(['desk', 'desk', 'desk', 'zendesk_support', 'zendesk_messaging'] as const) : null;
        recorder.botTurn({
          messageId: userMessageId, conversationId, channel, language: pick(['pt', 'es', 'en']), text: 'hello there', kind,
          intentId: kind === 'answer' ? intentId : null, chosen: false, answersAsk: false, handOff, at: iso(t),
        });
        t += 20_000 + random() * 120_000;
      }
      if (!handsOff) continue;
      tickets += 1;
      const ticketId = randomUUID();
      const agentId = pick(agentIds);
      const createdAt = iso(t);
      const solved = random() < 0.85;
      const firstReplyAt = t + 30_000 + random() * 3 * 3_600_000;
      const solvedAt = solved ? firstReplyAt + random() * 2 * 86_400_000 : null;
      const status: TicketStatus = solved && solvedAt !== null && solvedAt < now ? 'solved' : pick(['new', 'open', 'pending', 'on-hold'] as const);
      insertTicket.run(ticketId, tickets, status, agentId, contactId, channel, conversationId, intentId, createdAt, iso(solvedAt ?? t), status === 'solved' ? iso(solvedAt ?? t) : null);
      const ticket: Ticket = {
        id: ticketId, number: tickets, subject: 'Bench', status: 'new', priority: 'normal', tags: [], assigneeId: agentId, contactId, channel,
        conversationId, intentId, intentConfidence: null, createdAt, updatedAt: createdAt, solvedAt: null,
      } as Ticket;
      recorder.ticketCreated(ticket);
      let previous = ticket;
      if (status !== 'new') {
        const open: Ticket = { ...ticket, status: 'open', updatedAt: iso(firstReplyAt) };
        recorder.ticketStatusChanged(previous, open, agentId);
        previous = open;
      }
      for (let m = botPairs * 2; m < count && messages < MESSAGES; m += 1) {
        const at = firstReplyAt + (m - botPairs * 2) * 600_000;
        const agentMessage = m % 2 === 0;
        const message = {
          id: randomUUID(), conversationId, ticketId, authorKind: agentMessage ? 'agent' : 'user', agentId: agentMessage ? agentId : null,
          text: 'reply', channel, createdAt: iso(at),
        } as const;
        insertMessage.run(message.id, conversationId, ticketId, message.authorKind, message.agentId, message.text, channel, message.createdAt);
        messages += 1;
        if (agentMessage) recorder.agentReplied(message as unknown as Parameters<ReportRecorder['agentReplied']>[0]);
      }
      if (status === 'solved' || (status !== 'new' && status !== 'open')) {
        const next: Ticket = { ...previous, status, updatedAt: iso(solvedAt ?? firstReplyAt), solvedAt: status === 'solved' ? iso(solvedAt ?? firstReplyAt) : null };
        recorder.ticketStatusChanged(previous, next, agentId);
      }
    }
  })();
}
}
db.pragma('foreign_keys = ON');
db.exec('ANALYZE');
const seededSeconds = (performance.now() - began) / 1000;
const counts = db.prepare('SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM report_hourly) AS rollups').get() as Record<string, number>;
console.log(`seeded ${counts.tickets} tickets, ${counts.messages} messages over ${DAYS} days (${counts.rollups} roll-up rows) in ${seededSeconds.toFixed(1)} s`);

const RUNS = 15;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const time = (work: () => unknown) => {
  work(); // warm the statement cache and the page cache
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const t0 = performance.now();
    work();
    samples.push(performance.now() - t0);
  }
  return median(samples);
};

const baseline = time(() => db.prepare('SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM tickets) AS n').get());
const admin = { id: 'admin', role: 'admin' } as const;
const today = new Date(now).toISOString().slice(0, 10);
const ninetyAgo = new Date(now - 89 * 86_400_000).toISOString().slice(0, 10);
const cases: [string, ReportQuery][] = [
  ['7 days', { range: '7d' }],
  ['30 days', { range: '30d' }],
  ['30 days, one channel', { range: '30d', channel: 'whatsapp' }],
  ['30 days, one intent', { range: '30d', intentId: 'intent-3' }],
  ['90 days (custom)', { range: 'custom', from: ninetyAgo, to: today }],
];
console.log(`\nbaseline: SELECT count(*) over messages + tickets: ${baseline.toFixed(1)} ms (median of ${RUNS})`);
console.log('page figures (buildReport, admin)          median ms   × baseline   goal ≤ 300 ms');
let worst = 0;
for (const [name, query] of cases) {
  const ms = time(() => buildReport(db, query, admin, settings, now));
  worst = Math.max(worst, ms);
  console.log(`  ${name.padEnd(40)} ${ms.toFixed(1).padStart(9)} ${(ms / baseline).toFixed(2).padStart(11)}   ${ms <= 300 ? 'ok' : 'OVER'}`);
}
console.log(`\nworst case ${worst.toFixed(1)} ms = ${(worst / baseline).toFixed(2)} × the bare count (machine shared with other work: compare ratios)`);
if (process.env.EXPLAIN) {
  // Where the time goes: each of the page's statements alone (30 days).
  const from = new Date(now - 30 * 86_400_000).toISOString();
  const to = new Date(now).toISOString();
  for (const [name, sql, args] of [
    ['counters', 'SELECT metric, day, channel, SUM(value) FROM report_daily WHERE day >= ? AND day <= ? GROUP BY metric, day, channel', [from.slice(0, 10), to.slice(0, 10)]],
    ['conversations', 'SELECT COUNT(*), SUM(handled_alone) FROM report_conversations WHERE started_at >= ? AND started_at < ?', [from, to]],
    ['created count', 'SELECT COUNT(*) FROM report_tickets WHERE created_at >= ? AND created_at < ?', [from, to]],
    ['first responses', 'SELECT first_response_agent_id, first_response_seconds FROM report_tickets WHERE created_at >= ? AND created_at < ? AND first_response_seconds IS NOT NULL', [from, to]],
    ['resolutions', 'SELECT solved_by, resolution_seconds FROM report_tickets WHERE solved_at >= ? AND solved_at < ?', [from, to]],
    ['backlog now', "SELECT status, COUNT(*) FROM tickets WHERE status IN ('new','open','pending','on-hold') GROUP BY status", []],
  ] as const) {
    const stmt = db.prepare(sql);
    console.log(`  ${name.padEnd(16)} ${time(() => stmt.all(...args)).toFixed(1)} ms`);
  }
}
db.close();
if (dir) rmSync(dir, { recursive: true, force: true });
