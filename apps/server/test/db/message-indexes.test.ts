import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { migrations } from '../../src/db/migrations.ts';
import { dropTestDatabase, onlySqlite, openTestDatabase, testDialect } from '../support/test-db.ts';

/** The reads of a ticket's messages (messages-repo, snapshot, tickets-repo's list): each must go through messages_ticket. */
const TICKET_READS = [
  'SELECT * FROM messages WHERE ticket_id = $1 ORDER BY rowid',
  "SELECT id FROM messages WHERE ticket_id = $1 AND author_kind = 'agent' LIMIT 1",
  'SELECT id FROM messages WHERE ticket_id = $1',
  'SELECT max(rowid) FROM messages WHERE ticket_id = $1',
  // media-retention.ts: from the solved tickets to their messages.
  "SELECT m.id, m.attachments FROM messages m INNER JOIN tickets t ON t.id = m.ticket_id WHERE t.status = 'solved' AND t.solved_at < $1 AND m.attachments LIKE '%/media/%'",
];
/** A conversation's reads, by rowid: messages_conversation_order on SQLite, messages_conversation on PostgreSQL. */
const CONVERSATION_READS = [
  'SELECT max(rowid) FROM messages WHERE conversation_id = $1',
  "SELECT bot_kind FROM messages WHERE conversation_id = $1 AND author_kind = 'bot' ORDER BY rowid DESC LIMIT 5",
  'SELECT * FROM messages WHERE conversation_id = $1 AND ticket_id IS NULL ORDER BY rowid',
];

async function planOf(db: Database, text: string): Promise<string> {
  if (db.sqlite) {
    const rows = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${text.replace(/\$1/g, '?')}`).all('x') as { detail: string }[];
    return rows.map((row) => row.detail).join('\n');
  }
  // An empty table is read whole on PostgreSQL: ask which index it would take.
  return db.transaction(async (q) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(q);
    const rows = await sql.raw<{ 'QUERY PLAN': string }>(`EXPLAIN ${text.replace(/\$1/g, "'x'")}`).execute(q);
    return rows.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

describe('the indexes on messages', () => {
  let dir: string;
  let db: Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-message-indexes-'));
    db = await openTestDatabase(dir, join(dir, 'desk.sqlite'));
  });

  afterEach(async () => {
    await db.close();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keep messages in no ticket out of the ticket index, which the ticket reads still use without a sort', async () => {
    for (const text of TICKET_READS) {
      const plan = await planOf(db, text);
      expect(plan, text).toMatch(/messages_ticket/);
      expect(plan, text).not.toMatch(/TEMP B-TREE|Sort/);
    }
    const definition =
      db.sqlite
        ? (db.sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_ticket'").get() as { sql: string }).sql
        : ((await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE indexname = 'messages_ticket'`.execute(db.q)).rows[0]?.indexdef ?? '');
    expect(definition).toMatch(/WHERE \(?ticket_id IS NOT NULL\)?/i);
  });

  it('read a conversation through one index by rowid, without a sort', async () => {
    for (const text of CONVERSATION_READS) {
      const plan = await planOf(db, text);
      expect(plan, text).toMatch(testDialect() === 'sqlite' ? /messages_conversation_order/ : /messages_conversation/);
      expect(plan, text).not.toMatch(/TEMP B-TREE|Sort/);
    }
    if (db.sqlite) expect(db.sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'messages_conversation'").get()).toBeUndefined();
  });
});

describe.skipIf(onlySqlite())('migration 16 on a SQLite file of version 15', () => {
  it('keeps every message and finds a ticket’s messages through the new index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-migration-16-'));
    try {
      const file = join(dir, 'desk.sqlite');
      const old = openDatabase(file, migrations.filter((m) => m.version <= 15));
      const raw = old.sqlite as NonNullable<typeof old.sqlite>;
      expect(raw.pragma('user_version', { simple: true })).toBe(15);
      raw.pragma('foreign_keys = OFF');
      const insert = raw.prepare(
        "INSERT INTO messages (id, conversation_id, ticket_id, author_kind, text, channel, created_at) VALUES (?, 'c-1', ?, 'user', 'hi', 'webchat', '2026-01-01T00:00:00.000Z')",
      );
      for (let n = 0; n < 10; n += 1) insert.run(`m-${n}`, n % 3 === 0 ? 't-1' : null);
      await old.close();

      const upgraded = openDatabase(file);
      const sqlite = upgraded.sqlite as NonNullable<typeof upgraded.sqlite>;
      expect(sqlite.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version);
      const ids = (sqlite.prepare('SELECT id FROM messages INDEXED BY messages_ticket WHERE ticket_id = ? ORDER BY rowid').all('t-1') as { id: string }[]).map((r) => r.id);
      expect(ids).toEqual(['m-0', 'm-3', 'm-6', 'm-9']);
      expect((sqlite.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n).toBe(10);
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      await upgraded.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
