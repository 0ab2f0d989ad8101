import {
  type Agent,
  type MutationError,
  type MutationResult,
  mutationErrorOf,
  type PushedMutation,
  parseMutation,
  type PushRequest,
  type PushResponse,
} from '@desk/core';
import { type Db, TransactionAborted } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import { forbidden } from '../http/api-error.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { MutatorContext, RunMutation } from './server-mutators.ts';

const recordMutation = prepared(
  (q, row: { client_id: string; mutation_id: number; name: string; status: 'applied' | 'rejected'; error: string | null; applied_at: string }) =>
    q.insertInto('sync_mutations').values({
      client_id: row.client_id,
      mutation_id: row.mutation_id,
      name: row.name,
      status: row.status,
      error: row.error,
      applied_at: row.applied_at,
    }),
);

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
  constructor(
    private readonly db: Db,
    private readonly run: RunMutation,
    private readonly options: {
      now?: () => string;
      /** Told of each client's new last id, so the streams' carried pages confirm the push without reading it back. */
      changes?: Pick<ChangeFeed, 'clientAdvanced'>;
    } = {},
  ) {}

  private now(): string {
    return this.options.now?.() ?? new Date().toISOString();
  }

  async push(agent: Agent, request: PushRequest): Promise<PushResponse> {
    if (request.mutations.length === 0) return { results: [] };
    const effects: (() => void)[] = [];
    const results = await this.db.transaction(() => this.applyBatch(agent, request, effects));
    for (const effect of effects) {
      try {
        effect();
      } catch (err) {
        console.error('[desk] after-commit effect of a sync mutation failed', err);
      }
    }
    return { results };
  }

  private async applyBatch(agent: Agent, request: PushRequest, effects: (() => void)[]): Promise<MutationResult[]> {
    const { clientId } = request;
    const client = await this.db.q
      .selectFrom('sync_clients')
      .select(['agent_id', 'last_mutation_id'])
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (client && client.agent_id !== agent.id) throw forbidden('This sync client belongs to another agent.');
    const stored = Number(client?.last_mutation_id ?? 0);
    let last = stored;
    let now = '';
    const results: MutationResult[] = [];
    for (const pushed of request.mutations) {
      if (pushed.id <= last) {
        results.push(await this.recorded(clientId, pushed.id));
        continue;
      }
      if (pushed.id > last + 1) break;
      now = this.now();
      results.push(await this.applyOne(agent, clientId, pushed, now, effects));
      last = pushed.id;
    }
    if (last !== stored) {
      await this.db.q
        .insertInto('sync_clients')
        .values({ client_id: clientId, agent_id: agent.id, last_mutation_id: last, updated_at: now })
        .onConflict((oc) =>
          oc.column('client_id').doUpdateSet((eb) => ({
            last_mutation_id: eb.ref('excluded.last_mutation_id'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      this.options.changes?.clientAdvanced({ agentId: agent.id, clientId, lastMutationId: last });
    }
    return results;
  }

  private async recorded(clientId: string, id: number): Promise<MutationResult> {
    const row: RecordedRow | undefined = await this.db.q
      .selectFrom('sync_mutations')
      .select(['status', 'error'])
      .where('client_id', '=', clientId)
      .where('mutation_id', '=', id)
      .executeTakeFirst();
    if (!row) return { id, status: 'applied' };
    const result: MutationResult = { id, status: row.status };
    if (row.error) result.error = JSON.parse(row.error) as MutationError;
    return result;
  }

  /** Runs one mutation in a savepoint and records its result; call inside the batch's transaction. */
  private async applyOne(agent: Agent, clientId: string, pushed: PushedMutation, now: string, effects: (() => void)[]): Promise<MutationResult> {
    let error: MutationError | undefined;
    const parsed = parseMutation(pushed.name, pushed.args);
    if (!parsed.ok) {
      error = parsed.error;
    } else {
      const mark = effects.length;
      try {
        const ctx: MutatorContext = { agent, now, afterCommit: (effect) => effects.push(effect) };
        await this.db.transaction(() => this.run(ctx, parsed.mutation));
      } catch (err) {
        if (err instanceof TransactionAborted) throw err;
        // A refusal rolled back its savepoint. Anything else the database did to the whole transaction
        // (SQLite aborts it on disk full, out of memory) fails the rollback too and the batch with it:
        // nothing of this batch is stored piecemeal, and the client resends it.
        effects.length = mark;
        error = mutationErrorOf(err);
        if (error.code === 'internal_error') console.error('[desk] sync mutation failed', pushed.name, err);
      }
    }
    await recordMutation.run(this.db, {
      client_id: clientId,
      mutation_id: pushed.id,
      name: pushed.name,
      status: error ? 'rejected' : 'applied',
      error: error ? JSON.stringify(error) : null,
      applied_at: now,
    });
    return error ? { id: pushed.id, status: 'rejected', error } : { id: pushed.id, status: 'applied' };
  }
}
