import {
  type Agent,
  type Mutation,
  type MutationError,
  type MutationResult,
  mutationErrorOf,
  type PushedMutation,
  parseMutation,
  type PushRequest,
  type PushResponse,
} from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import { forbidden } from '../http/api-error.ts';
import type { MutatorContext, RunMutation } from './server-mutators.ts';

interface RecordedRow {
  status: 'applied' | 'rejected';
  error: string | null;
}

/**
 * The push loop (after Rocicorp's): mutation ids count up from 1 per client.
 * - `id <= last applied`: already processed; answered with the recorded result, not re-run.
 * - `id > last + 1`: a gap; the batch stops there (the client resends from the gap).
 * - otherwise the mutation runs, and its `sync_mutations` row is written, in the batch's one
 *   `IMMEDIATE` transaction, which also stores the client's new last id once at the end. Each
 *   mutation runs in its own savepoint: a refusal rolls back only that mutation's writes and is
 *   still recorded, as `rejected`, so the queue behind it keeps moving.
 *
 * One commit per batch instead of one per mutation: a page written by several mutations goes to
 * the WAL once. Everything the batch did becomes visible at once, and its after-commit effects
 * (domain events, in order) and the change-feed poke run only after that commit. If the batch
 * fails as a whole (an I/O error, not a refusal) nothing of it is stored and the client resends it.
 */
export class SyncPush {
  private readonly getClient;
  private readonly upsertClient;
  private readonly getRecorded;
  private readonly insertRecorded;
  private readonly batch;
  private readonly savepoint;

  constructor(
    private readonly db: Db,
    private readonly run: RunMutation,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.getClient = statement(db, 'SELECT agent_id, last_mutation_id FROM sync_clients WHERE client_id = ?');
    this.upsertClient = statement(
      db,
      `INSERT INTO sync_clients (client_id, agent_id, last_mutation_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id, updated_at = excluded.updated_at`,
    );
    this.getRecorded = statement(db, 'SELECT status, error FROM sync_mutations WHERE client_id = ? AND mutation_id = ?');
    this.insertRecorded = statement(
      db,
      'INSERT INTO sync_mutations (client_id, mutation_id, name, status, error, applied_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    // Made once: better-sqlite3 runs a nested transaction function as a savepoint.
    this.batch = db.transaction((agent: Agent, request: PushRequest, effects: (() => void)[]) => this.applyBatch(agent, request, effects));
    this.savepoint = db.transaction((ctx: MutatorContext, mutation: Mutation) => this.run(ctx, mutation));
  }

  push(agent: Agent, request: PushRequest): PushResponse {
    if (request.mutations.length === 0) return { results: [] };
    const effects: (() => void)[] = [];
    const results = this.batch.immediate(agent, request, effects);
    for (const effect of effects) {
      try {
        effect();
      } catch (err) {
        console.error('[desk] after-commit effect of a sync mutation failed', err);
      }
    }
    return { results };
  }

  private applyBatch(agent: Agent, request: PushRequest, effects: (() => void)[]): MutationResult[] {
    const { clientId } = request;
    const client = this.getClient.get(clientId) as { agent_id: string; last_mutation_id: number } | undefined;
    if (client && client.agent_id !== agent.id) throw forbidden('This sync client belongs to another agent.');
    const stored = client?.last_mutation_id ?? 0;
    let last = stored;
    let now = '';
    const results: MutationResult[] = [];
    for (const pushed of request.mutations) {
      if (pushed.id <= last) {
        results.push(this.recorded(clientId, pushed.id));
        continue;
      }
      if (pushed.id > last + 1) break;
      now = this.now();
      results.push(this.applyOne(agent, clientId, pushed, now, effects));
      last = pushed.id;
    }
    if (last !== stored) this.upsertClient.run(clientId, agent.id, last, now);
    return results;
  }

  private recorded(clientId: string, id: number): MutationResult {
    const row = this.getRecorded.get(clientId, id) as RecordedRow | undefined;
    if (!row) return { id, status: 'applied' };
    const result: MutationResult = { id, status: row.status };
    if (row.error) result.error = JSON.parse(row.error) as MutationError;
    return result;
  }

  /** Runs one mutation in a savepoint and records its result; call inside the batch's transaction. */
  private applyOne(agent: Agent, clientId: string, pushed: PushedMutation, now: string, effects: (() => void)[]): MutationResult {
    let error: MutationError | undefined;
    const parsed = parseMutation(pushed.name, pushed.args);
    if (!parsed.ok) {
      error = parsed.error;
    } else {
      const mark = effects.length;
      try {
        this.savepoint({ agent, now, afterCommit: (effect) => effects.push(effect) }, parsed.mutation);
      } catch (err) {
        // SQLite rolls the whole transaction back on some errors (disk full, out of memory): then
        // nothing of this batch may be stored piecemeal, so the batch fails and the client resends it.
        if (!this.db.inTransaction) throw err;
        effects.length = mark;
        error = mutationErrorOf(err);
        if (error.code === 'internal_error') console.error('[desk] sync mutation failed', pushed.name, err);
      }
    }
    this.insertRecorded.run(clientId, pushed.id, pushed.name, error ? 'rejected' : 'applied', error ? JSON.stringify(error) : null, now);
    return error ? { id: pushed.id, status: 'rejected', error } : { id: pushed.id, status: 'applied' };
  }
}
