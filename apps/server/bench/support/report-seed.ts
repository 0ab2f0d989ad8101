import { randomUUID } from 'node:crypto';
import { CHANNELS, type Channel, type HandOffDestination, type Ticket, type TicketStatus } from '@desk/core';
import type { Database } from '../../src/db/database.ts';
import { ReportRecorder, type TurnKind } from '../../src/reports/report-recorder.ts';
import { ReportZone } from '../../src/reports/report-zone.ts';

export interface ReportSeed {
  tickets: number;
  messages: number;
  days: number;
  intents: number;
  agents: number;
  /** The seeded traffic ends here. */
  now: number;
}

/**
 * Seeds a SQLite database with `days` of traffic: the rows the engine and the tickets leave behind
 * (conversations, messages, tickets) written straight with better-sqlite3, and what the report
 * recorder writes as it happens (bot turns, roll-ups, ticket timings) through the recorder itself.
 * Deterministic (a seeded generator): every run seeds the same data.
 */
export async function seedReportData(db: Database, options: ReportSeed): Promise<void> {
  const { tickets: TICKETS, messages: MESSAGES, days: DAYS, intents: INTENTS, agents: AGENTS, now } = options;
  const CONVERSATIONS = Math.round(TICKETS * 1.5);
  const raw = db.sqlite;
  if (!raw) throw new Error('The report seed writes SQLite (copy it to PostgreSQL with migrateToPostgres).');
  const recorder = new ReportRecorder(db, new ReportZone(db));
  const start = now - DAYS * 86_400_000;
  const iso = (t: number) => new Date(t).toISOString();
  // mulberry32: a seeded generator, so every run seeds the same data.
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  raw.pragma('foreign_keys = OFF');
  const agentIds = Array.from({ length: AGENTS }, (_, i) => `agent-${i}`);
  const intentIds = Array.from({ length: INTENTS }, (_, i) => `intent-${i}`);
  await db.transaction(async () => {
    for (const [i, id] of agentIds.entries()) {
      raw.prepare("INSERT INTO agents (id, name, email, role, password_hash, active, created_at, updated_at) VALUES (?, ?, ?, 'agent', 'x', 1, ?, ?)").run(id, `Agent ${i}`, `a${i}@bench`, iso(start), iso(start));
    }
    for (const [i, id] of intentIds.entries()) {
      raw.prepare("INSERT INTO intents (id, name, phrases, answers, desk, created_at, updated_at) VALUES (?, ?, '[]', '[]', '{}', ?, ?)").run(id, `Intent ${i}`, iso(start), iso(start));
    }
  });

  const insertContact = raw.prepare("INSERT INTO contacts (id, name, created_at, updated_at) VALUES (?, 'User', ?, ?)");
  const insertConversation = raw.prepare("INSERT INTO conversations (id, contact_id, channel, external_id, mode, created_at, updated_at) VALUES (?, ?, ?, ?, 'bot', ?, ?)");
  const insertTicket = raw.prepare(
    "INSERT INTO tickets (id, number, subject, status, priority, assignee_id, contact_id, channel, conversation_id, intent_id, created_at, updated_at, solved_at) VALUES (?, ?, 'Bench', ?, 'normal', ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const insertMessage = raw.prepare('INSERT INTO messages (id, conversation_id, ticket_id, author_kind, agent_id, text, channel, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');

  const messagesPerConversation = MESSAGES / CONVERSATIONS;
  let messages = 0;
  let tickets = 0;
  const BATCH = 2_000;
  for (let batchStart = 0; batchStart < CONVERSATIONS; batchStart += BATCH) {
    await db.transaction(async () => {
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
          await recorder.botTurn({
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
        await recorder.ticketCreated(ticket);
        let previous = ticket;
        if (status !== 'new') {
          const open: Ticket = { ...ticket, status: 'open', updatedAt: iso(firstReplyAt) };
          await recorder.ticketStatusChanged(previous, open, agentId);
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
          if (agentMessage) await recorder.agentReplied(message as unknown as Parameters<ReportRecorder['agentReplied']>[0]);
        }
        if (status === 'solved' || (status !== 'new' && status !== 'open')) {
          const next: Ticket = { ...previous, status, updatedAt: iso(solvedAt ?? firstReplyAt), solvedAt: status === 'solved' ? iso(solvedAt ?? firstReplyAt) : null };
          await recorder.ticketStatusChanged(previous, next, agentId);
        }
      }
    });
  }
  raw.pragma('foreign_keys = ON');
  raw.exec('ANALYZE');
}
