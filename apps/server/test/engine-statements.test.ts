import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../src/conversations/engine.ts';
import type { DomainEvent } from '../src/events/domain-events.ts';
import { createTestDesk, must, sampleIntents, type TestDesk, withIntents } from './support/desk-fixture.ts';
import { rawRows } from './support/raw-sql.ts';

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk();
  await withIntents(t, sampleIntents());
});
afterEach(() => t.close());

/** Counts every statement SQLite runs in this process while `work` runs (SQLite only: this file is not in the PostgreSQL project). */
async function statementsDuring(sqlite: BetterSqlite3.Database, work: () => Promise<void>): Promise<number> {
  const prototype = Object.getPrototypeOf(sqlite.prepare('SELECT 1')) as Record<'run' | 'get' | 'all', (...args: unknown[]) => unknown>;
  const originals = { run: prototype.run, get: prototype.get, all: prototype.all };
  let count = 0;
  for (const method of ['run', 'get', 'all'] as const) {
    const original = originals[method];
    prototype[method] = function (this: unknown, ...args: unknown[]) {
      count += 1;
      return original.apply(this, args);
    };
  }
  try {
    await work();
  } finally {
    Object.assign(prototype, originals);
  }
  return count;
}

/**
 * The processor's cost is SQLite's work: a message of a conversation already under way (the common
 * case) must not quietly grow more queries. The bound is today's count; lower it when a change
 * saves statements, never raise it without a reason.
 */
describe('statements per inbound message', () => {
  it('stores and answers a batch of messages of a conversation under way with at most 16 statements each', async () => {
    const { engine, db } = t.services;
    const sqlite = must(db.sqlite);
    const message = (n: number, text: string) => ({ channel: 'telegram' as const, externalId: '4242', text, channelMessageId: `4242:${n}` });
    await engine.handleInbound(message(1, 'hello'));

    const texts = ['good morning', 'what time do you open?', 'hello', 'good afternoon', 'what are your opening hours?'];
    const inputs = texts.map((text, i) => message(i + 2, text));
    const events: DomainEvent[] = [];
    const count = await statementsDuring(sqlite, async () => {
      // As the inbox processor does: the bot reads every message first, then one transaction stores them.
      const readings: Reading[] = [];
      for (const input of inputs) readings.push(await engine.read(input));
      await db.transaction(async () => {
        for (const [i, input] of inputs.entries()) {
          const result = await engine.storeRead(input, readings[i] ?? null, events);
          expect(result).toMatchObject({ created: true });
        }
      });
    });

    // Every message was stored and answered, and the answers queued for Telegram.
    const stored = await rawRows(db, "SELECT author_kind FROM messages WHERE conversation_id = (SELECT id FROM conversations WHERE external_id = '4242') ORDER BY rowid");
    expect(stored).toHaveLength(2 + 2 * texts.length);
    expect(await rawRows(db, "SELECT message_id FROM outbox WHERE channel = 'telegram'")).toHaveLength(1 + texts.length);
    expect(count / texts.length).toBeLessThanOrEqual(16);
  });
});
