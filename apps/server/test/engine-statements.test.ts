import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../src/conversations/engine.ts';
import type { DomainEvent } from '../src/events/domain-events.ts';
import { createTestDesk, must, sampleIntents, type TestDesk, withIntents } from './support/desk-fixture.ts';
import { rawRows } from './support/raw-sql.ts';
import { statementsDuring } from './support/statement-count.ts';

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk();
  await withIntents(t, sampleIntents());
});
afterEach(() => t.close());

/**
 * The processor's cost is SQLite's work: a message of a conversation already under way (the common
 * case) must not quietly grow more queries. The bound is today's count; lower it when a change
 * saves statements, never raise it without a reason.
 */
describe('statements per inbound message', () => {
  it('stores and answers a batch of messages of a conversation under way with at most 10 statements each', async () => {
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
    expect(count / texts.length).toBeLessThanOrEqual(10);
  });

  it('stores a batch of inbox rows in one transaction without a savepoint per row when none of them throws', async () => {
    const { db, inboxRepo, inboxProcessor, clock } = t.services;
    const sqlite = must(db.sqlite);
    const update = (n: number, text: string) =>
      JSON.stringify({ update_id: 9000 + n, message: { message_id: n, from: { id: 4343, is_bot: false, first_name: 'Ana' }, chat: { id: 4343, type: 'private' }, date: 1_700_000_000, text } });
    await inboxRepo.insert('telegram', 'first', update(1, 'hello'), clock());
    await inboxProcessor.drain();

    const texts = ['good morning', 'what time do you open?', 'hello', 'good afternoon'];
    for (const [i, text] of texts.entries()) await inboxRepo.insert('telegram', `next-${i}`, update(i + 2, text), clock());
    const sources: string[] = [];
    await statementsDuring(sqlite, async () => void (await inboxProcessor.runBatch()), sources);

    // All four stored and answered in one commit, and no savepoint taken (one is only after a row throws).
    const stored = await rawRows(db, "SELECT author_kind FROM messages WHERE conversation_id = (SELECT id FROM conversations WHERE external_id = '4343')");
    expect(stored).toHaveLength(2 + 2 * texts.length);
    expect(sources.filter((sql) => sql === 'COMMIT')).toHaveLength(1);
    expect(sources.filter((sql) => /SAVEPOINT/.test(sql))).toEqual([]);
    expect((await inboxRepo.depth()).pending).toBe(0);
  });
});
