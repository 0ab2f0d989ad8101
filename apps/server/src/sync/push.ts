import { type Agent, type MutationError, type MutationResult, mutationErrorOf, parseMutation, type PushRequest, type PushResponse } from '@desk/core';
import type { Db } from '../db/database.ts';
import { forbidden } from '../http/api-error.ts';
import type { RunMutation } from './server-mutators.ts';

interface RecordedRow {
  status: 'applied' | 'rejected';
  error: string | null;
}

/**
 * The push loop (after Rocicorp's): mutation ids count up from 1 per client.
 * - `id <= last applied`: already processed; answered with the recorded result, not re-run.
 * - `id > last + 1`: a gap; the batch stops there (the client resends from the gap).
 * - otherwise the mutation runs in its own transaction together with its `sync_mutations`
 *   row and the client's new last id. A refusal rolls back the mutation's writes (savepoint)
 *   but is still recorded, as `rejected`, so the queue behind it keeps moving.
 */
export class SyncPush {
  private readonly getClient;
  private readonly upsertClient;
  private readonly getRecorded;
  private readonly insertRecorded;

  constructor(
    private readonly db: Db,
    private readonly run: RunMutation,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.getClient = db.prepare('SELECT agent_id, last_mutation_id FROM sync_clients WHERE client_id = ?');
    this.upsertClient = db.prepare(
      `INSERT INTO sync_clients (client_id, agent_id, last_mutation_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id, updated_at = excluded.updated_at`,
    );
    this.getRecorded = db.prepare('SELECT status, error FROM sync_mutations WHERE client_id = ? AND mutation_id = ?');
    this.insertRecorded = db.prepare(
      'INSERT INTO sync_mutations (client_id, mutation_id, name, status, error, applied_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  push(agent: Agent, request: PushRequest): PushResponse {
    const results: MutationResult[] = [];
    for (const pushed of request.mutations) {
      const client = this.getClient.get(request.clientId) as { agent_id: string; last_mutation_id: number } | undefined;
      if (client && client.agent_id !== agent.id) throw forbidden('This sync client belongs to another agent.');
      const last = client?.last_mutation_id ?? 0;
      if (pushed.id <= last) {
        results.push(this.recorded(request.clientId, pushed.id));
        continue;
      }
      if (pushed.id > last + 1) break;
      results.push(this.applyOne(agent, request.clientId, pushed));
    }
    return { results };
  }

  private recorded(clientId: string, id: number): MutationResult {
    const row = this.getRecorded.get(clientId, id) as RecordedRow | undefined;
    if (!row) return { id, status: 'applied' };
    const result: MutationResult = { id, status: row.status };
    if (row.error) result.error = JSON.parse(row.error) as MutationError;
    return result;
  }

  private applyOne(agent: Agent, clientId: string, pushed: PushRequest['mutations'][number]): MutationResult {
    const { result, effects } = this.db
      .transaction((): { result: MutationResult; effects: (() => void)[] } => {
        const now = this.now();
        const effects: (() => void)[] = [];
        let error: MutationError | undefined;
        const parsed = parseMutation(pushed.name, pushed.args);
        if (!parsed.ok) {
          error = parsed.error;
        } else {
          try {
            // A nested transaction is a savepoint: a refusal undoes only the mutation's writes.
            this.db.transaction(() => this.run({ agent, now, afterCommit: (effect) => effects.push(effect) }, parsed.mutation))();
          } catch (err) {
            effects.length = 0;
            error = mutationErrorOf(err);
            if (error.code === 'internal_error') console.error('[desk] sync mutation failed', pushed.name, err);
          }
        }
        this.upsertClient.run(clientId, agent.id, pushed.id, now);
        this.insertRecorded.run(clientId, pushed.id, pushed.name, error ? 'rejected' : 'applied', error ? JSON.stringify(error) : null, now);
        const result: MutationResult = error ? { id: pushed.id, status: 'rejected', error } : { id: pushed.id, status: 'applied' };
        return { result, effects };
      })
      .immediate();
    for (const effect of effects) {
      try {
        effect();
      } catch (err) {
        console.error('[desk] after-commit effect of a sync mutation failed', err);
      }
    }
    return result;
  }
}
