import { randomUUID } from 'node:crypto';
import { DeskError, ErrorCode } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncPush } from '../../src/sync/push.ts';
import type { RunMutation } from '../../src/sync/server-mutators.ts';
import { createTestDesk, type TestDesk } from '../support/test-app.ts';
import { rawRow, rawRows, rawRun } from '../support/raw-sql.ts';

/**
 * The push batch runs in one transaction with a savepoint per mutation. These drive SyncPush with a
 * stand-in mutator that writes first and refuses afterwards, so a refusal has something to undo.
 */
let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(() => desk.close());

const clientId = 'client-batch';
const ticketId = randomUUID();

interface Seen {
  tag: string;
  inTransaction: boolean;
  lastMutationId: number;
}

async function pushWith(onTag: (tag: string) => Promise<void> | void = () => {}) {
  const { db } = desk.services;
  const seen: Seen[] = [];
  // The reads the effects started; `send` waits for them.
  const reads: Promise<void>[] = [];
  const run: RunMutation = async (ctx, mutation) => {
    if (mutation.name !== 'ticket.addTag') throw new Error('unexpected mutation');
    const { tag } = mutation.args;
    await rawRun(db, 'INSERT INTO settings (key, value) VALUES (?, ?)', `test:${tag}`, ctx.now);
    ctx.afterCommit(() => {
      // Recorded when the effect runs, so the order is the effects' order even where reads answer out of order (a PostgreSQL pool).
      const effect: Seen = { tag, inTransaction: db.inTransaction, lastMutationId: Number.NaN };
      seen.push(effect);
      reads.push(
        rawRow<{ last_mutation_id: number }>(db, 'SELECT last_mutation_id FROM sync_clients WHERE client_id = ?', clientId).then((row) => {
          effect.lastMutationId = Number(row?.last_mutation_id);
        }),
      );
    });
    await onTag(tag);
    if (tag === 'bad') throw new DeskError(ErrorCode.ruleViolated, 'Not this tag.');
  };
  const push = new SyncPush(db, run);
  const agent = await desk.services.agents.get(desk.agent.id);
  if (!agent) throw new Error('no agent');
  const send = async (tags: [number, string][]) => {
    const response = await push.push(agent, { clientId, mutations: tags.map(([id, tag]) => ({ id, name: 'ticket.addTag', args: { ticketId, tag } })) });
    await Promise.all(reads);
    return response;
  };
  const stored = async () =>
    (await rawRows(db, "SELECT key FROM settings WHERE key LIKE 'test:%' ORDER BY key") as { key: string }[]).map((r) => r.key.slice(5));
  const recorded = async () => await rawRows(db, 'SELECT mutation_id AS id, status FROM sync_mutations WHERE client_id = ? ORDER BY mutation_id', clientId);
  return { send, seen, stored, recorded };
}

describe('SyncPush batch', () => {
  it('rolls back only a refused mutation, records it, and runs effects once, after the whole batch commits', async () => {
    const t = await pushWith();
    const { results } = await t.send([
      [1, 'a'],
      [2, 'bad'],
      [3, 'c'],
    ]);
    expect(results.map((r) => [r.id, r.status, r.error?.code])).toEqual([
      [1, 'applied', undefined],
      [2, 'rejected', 'rule_violated'],
      [3, 'applied', undefined],
    ]);
    expect(await t.stored()).toEqual(['a', 'c']);
    expect(await t.recorded()).toEqual([
      { id: 1, status: 'applied' },
      { id: 2, status: 'rejected' },
      { id: 3, status: 'applied' },
    ]);
    // Effects of applied mutations only, in order, outside the transaction, with the batch's last id stored.
    expect(t.seen).toEqual([
      { tag: 'a', inTransaction: false, lastMutationId: 3 },
      { tag: 'c', inTransaction: false, lastMutationId: 3 },
    ]);
  });

  it('answers ids repeated within a batch with their recorded result and stops at a gap', async () => {
    const t = await pushWith();
    const { results } = await t.send([
      [1, 'a'],
      [1, 'a'],
      [2, 'bad'],
      [2, 'bad'],
      [4, 'd'],
    ]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      [1, 'applied'],
      [1, 'applied'],
      [2, 'rejected'],
      [2, 'rejected'],
    ]);
    expect(await t.stored()).toEqual(['a']);
    expect(t.seen.map((s) => s.tag)).toEqual(['a']);
  });

  it('stores nothing of a batch whose transaction SQLite aborted, so the client can resend it', async () => {
    const { db } = desk.services;
    const t = await pushWith(async (tag) => {
      // What SQLite does on e.g. a full disk: the whole transaction is rolled back.
      if (tag === 'fatal') await rawRun(db, 'ROLLBACK');
    });
    await expect(
      t.send([
        [1, 'a'],
        [2, 'fatal'],
        [3, 'c'],
      ]),
    ).rejects.toThrow();
    expect(db.inTransaction).toBe(false);
    expect(await t.stored()).toEqual([]);
    expect(await t.recorded()).toEqual([]);
    expect(t.seen).toEqual([]);
    // The resend applies from the start.
    const again = await t.send([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(again.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await t.stored()).toEqual(['a', 'b']);
  });
});
