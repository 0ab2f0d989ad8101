/**
 * What the sync change log costs per inbound message: Telegram messages taken from the inbox by the
 * batched processor (the engine answers, some users ask for a person and get a ticket), every bot
 * reply sent by the outbox to a platform stand-in that answers at once, then the change-log rows
 * and bytes written, per inbound message, by entity and by why they were written. Printed next to
 * the rows the messages themselves took (the baseline: what the log adds on top of the data).
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:change-log   [MESSAGES=2000 CHATS=200 HANDOFF_EVERY=5]
 */
import { rmSync } from 'node:fs';
import { loadavg, } from 'node:os';
import type { Message } from '@desk/core';
import type { ChannelAdapter } from '../src/channels/channel-adapter.ts';
import { openBenchDesk } from './support/bench-desk.ts';
import { telegramTextUpdate } from './support/telegram-update.ts';

const MESSAGES = Number(process.env.MESSAGES ?? 2000);
const CHATS = Number(process.env.CHATS ?? 200);
/** Every this-many-th message of the run asks for a person (a hand-off opens a ticket). */
const HANDOFF_EVERY = Number(process.env.HANDOFF_EVERY ?? 5);
const TEXTS = ['oi, tudo bem?', 'que horas vocês fecham?', 'hola, buenas tardes', '¿abren los sábados?', 'hello there', 'when do you open on saturday?', 'something the bot does not know about'];

const update = (n: number) =>
  telegramTextUpdate({
    updateId: n,
    chatId: 10_000 + (n % CHATS),
    firstName: 'Bench',
    lastName: `User ${n % CHATS}`,
    date: 1_700_000_000 + n,
    text: n % HANDOFF_EVERY === 0 ? 'transfer me to a real person' : (TEXTS[n % TEXTS.length] ?? ''),
  });

const { dir, db, raw, services } = await openBenchDesk('change-log');
try {
  await services.integration.put({ subject: 'Support', tags: ['bench'], enabled: true });
  await services.retrainBot();

  // The platform stand-in: every send is accepted at once.
  let sends = 0;
  const standIn: ChannelAdapter = {
    channel: 'telegram',
    sendText: async () => ({ channelMessageId: `9${++sends}` }),
    sendChoices: async () => ({ channelMessageId: `9${++sends}` }),
  };
  services.outbox.register(standIn);
  services.outbox.start();

  const logBefore = (raw.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM change_log').get() as { n: number }).n;
  const messagesBefore = (raw.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  for (let n = 1; n <= MESSAGES; n += 1) await services.inboxRepo.insert('telegram', `m-${n}`, update(n), services.clock());
  await services.inboxProcessor.drain();
  // The outbox drains on its own: wait for its last send to be recorded.
  const pendingSends = raw.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'");
  const allSent = new Promise<void>((resolve) => {
    const check = () => ((pendingSends.get() as { n: number }).n === 0 ? resolve() : undefined);
    services.events.on('message.updated', check);
    check();
  });
  await allSent;
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  services.outbox.stop();

  const rows = raw.prepare('SELECT entity, data FROM change_log WHERE seq > ?').all(logBefore) as { entity: string; data: string | null }[];
  const byReason = new Map<string, { rows: number; bytes: number }>();
  for (const row of rows) {
    const message = row.entity === 'message' && row.data ? (JSON.parse(row.data) as Message) : null;
    const reason = message ? `message ${message.authorKind} ${message.ticketId ? 'in a ticket' : 'no ticket'}, delivery ${message.delivery?.state ?? 'none'}` : row.entity;
    const entry = byReason.get(reason) ?? { rows: 0, bytes: 0 };
    entry.rows += 1;
    entry.bytes += row.data?.length ?? 0;
    byReason.set(reason, entry);
  }
  const stored = (raw.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(text) + LENGTH(attachments) + COALESCE(LENGTH(delivery), 0)), 0) AS bytes FROM messages').get() as { n: number; bytes: number });
  const tickets = (raw.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n;
  const total = [...byReason.values()].reduce((sum, e) => ({ rows: sum.rows + e.rows, bytes: sum.bytes + e.bytes }), { rows: 0, bytes: 0 });
  const per = (x: number) => (x / MESSAGES).toFixed(2).padStart(7);
  console.log(`Change-log cost: ${MESSAGES} inbound Telegram messages over ${CHATS} chats (every ${HANDOFF_EVERY}th asks for a person), every reply sent`);
  console.log(`  load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${tickets} tickets opened, ${sends} sends, ${stored.n - messagesBefore} messages stored`);
  console.log('  change-log rows and JSON bytes per inbound message, by why they were written:');
  for (const [reason, { rows: count, bytes }] of [...byReason].sort((a, b) => b[1].rows - a[1].rows)) {
    console.log(`    ${reason.padEnd(58)} ${per(count)} rows ${per(bytes)} bytes`);
  }
  console.log(`    ${'all'.padEnd(58)} ${per(total.rows)} rows ${per(total.bytes)} bytes`);
  console.log(`  baseline, the messages themselves: ${per(stored.n - messagesBefore)} rows per inbound message`);
  console.log(`  run: ${Math.round(ms)} ms wall, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU (${(((cpu.user + cpu.system) / MESSAGES)).toFixed(0)} µs per message, NLU and sends included)`);
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
