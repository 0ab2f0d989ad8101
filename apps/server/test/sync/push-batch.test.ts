import { randomUUID } from 'node:crypto';
import { DeskError, ErrorCode } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncPush } from '../../src/sync/push.ts';
import type { RunMutation } from '../../src/sync/server-mutators.ts';
import { createTestDesk, type TestDesk } from '../support/test-app.ts';

/**
 * The push batch runs in one transaction with a savepoint per mutation. These drive SyncPush with a
 * stand-in mutator that writes first and refuses afterwards, so a refusal has something to undo.
 */
let desk: TestDesk;
beforeEach(() => {
  desk = createTestDesk();
});
afterEach(() => desk.close());

const clientId = 'client-batch';
const ticketId = randomUUID();

interface Seen {
  tag: string;
  inTransaction: boolean;
  lastMutationId: number;
}

function pushWith(onTag: (tag: string) => void = () => {}) {
  const { db } = desk.services;
  const seen: Seen[] = [];
  const run: RunMutation = (ctx, mutation) => {
    if (mutation.name !== 'ticket.addTag') throw new Error('unexpected mutation');
    const { tag } = mutation.args;
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(`test:${tag}`, ctx.now);
    ctx.afterCommit(() => {
      const row = db.prepare('SELECT last_mutation_id FROM sync_clients WHERE client_id = ?').get(clientId) as { last_mutation_id: number };
      seen.push({ tag, inTransaction: db.inTransaction, lastMutationId: row.last_mutation_id });
    });
    onTag(tag);
    if (tag === 'bad') throw new DeskError(ErrorCode.ruleViolated, 'Not this tag.');
  };
  const push = new SyncPush(db, run);
  const agent = desk.services.agents.get(desk.agent.id);
  if (!agent) throw new Error('no agent');
  const send = (tags: [number, string][]) =>
    push.push(agent, { clientId, mutations: tags.map(([id, tag]) => ({ id, name: 'ticket.addTag', args: { ticketId, tag } })) });
  const stored = () =>
    (db.prepare("SELECT key FROM settings WHERE key LIKE 'test:%' ORDER BY key").all() as { key: string }[]).map((r) => r.key.slice(5));
  const recorded = () => db.prepare('SELECT mutation_id AS id, status FROM sync_mutations WHERE client_id = ? ORDER BY mutation_id').all(clientId);
  return { send, seen, stored, recorded };
}

describe('SyncPush batch', () => {
  it('rolls back only a refused mutation, records it, and runs effects once, after the whole batch commits', () => {
    const t = pushWith();
    const { results } = t.send([
      [1, 'a'],
      [2, 'bad'],
      [3, 'c'],
    ]);
    expect(results.map((r) => [r.id, r.status, r.error?.code])).toEqual([
      [1, 'applied', undefined],
      [2, 'rejected', 'rule_violated'],
      [3, 'applied', undefined],
    ]);
    expect(t.stored()).toEqual(['a', 'c']);
    expect(t.recorded()).toEqual([
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

  it('answers ids repeated within a batch with their recorded result and stops at a gap', () => {
    const t = pushWith();
    const { results } = t.send([
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
    expect(t.stored()).toEqual(['a']);
    expect(t.seen.map((s) => s.tag)).toEqual(['a']);
  });

  it('stores nothing of a batch whose transaction SQLite aborted, so the client can resend it', () => {
    const { db } = desk.services;
    const t = pushWith((tag) => {
      // What SQLite does on e.g. a full disk: the whole transaction is rolled back.
      if (tag === 'fatal') db.exec('ROLLBACK');
    });
    expect(() =>
      t.send([
        [1, 'a'],
        [2, 'fatal'],
        [3, 'c'],
      ]),
    ).toThrow();
    expect(db.inTransaction).toBe(false);
    expect(t.stored()).toEqual([]);
    expect(t.recorded()).toEqual([]);
    expect(t.seen).toEqual([]);
    // The resend applies from the start.
    const again = t.send([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(again.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(t.stored()).toEqual(['a', 'b']);
  });
});
