import { type Agent, can, type PullResponse, type SyncChange } from '@desk/core';
import type { CommittedBatch, CommittedChange } from './change-feed.ts';
import { ENTITY_PERMISSION } from './pull.ts';

/** What a stream remembers from the last page it read from the log, to build the next ones itself. */
export interface StreamMemory {
  epoch: string;
  /** The agent's clients and their last applied mutation ids (the pull's `lastMutationIds`). */
  lastMutationIds: Record<string, number>;
}

/**
 * The page a pull from `from` would answer, built from the batches this instance committed since
 * (no read of the log): the same compaction (the latest change of each row, in `seq` order), the
 * same permission and audience filter, and `lastMutationIds` moved by the pushes in them. Null when
 * the batches don't join up from `from` (a gap: another instance wrote, or the stream is behind):
 * then the stream reads the log.
 */
export function carriedPage(batches: readonly CommittedBatch[], from: number, agent: Agent, memory: StreamMemory): PullResponse | null {
  let at = from;
  // Compacted first, then filtered, as the pull does (a row's latest change decides, whoever it is for).
  const latest = new Map<string, CommittedChange>();
  const lastMutationIds = { ...memory.lastMutationIds };
  for (const batch of batches) {
    if (batch.to <= at) continue;
    if (batch.from !== at) return null;
    for (const change of batch.changes) {
      const key = `${change.entity}:${change.id}`;
      latest.delete(key);
      latest.set(key, change);
    }
    for (const client of batch.clients) if (client.agentId === agent.id) lastMutationIds[client.clientId] = client.lastMutationId;
    at = batch.to;
  }
  if (at === from) return null;
  const changes: SyncChange[] = [];
  for (const change of latest.values()) {
    if (change.audience !== null && change.audience !== agent.id) continue;
    if (!can(agent.role, ENTITY_PERMISSION[change.entity])) continue;
    changes.push({ seq: change.seq, entity: change.entity, id: change.id, op: change.op, data: change.data });
  }
  return { cursor: at, changes, lastMutationIds, hasMore: false, epoch: memory.epoch };
}
