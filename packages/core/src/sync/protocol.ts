import { z } from 'zod';

/**
 * The sync protocol between the server's change log and the PWA's local store.
 *
 * - Pull: `GET /api/sync/pull?cursor=N` → {@link PullResponse}. `cursor` is the change log's
 *   sequence number, never a timestamp. `cursor=0` bootstraps.
 * - Push: `POST /api/sync/push` with a `PushRequest` → {@link PushResponse}.
 * - Stream: `GET /api/sync/stream` (server-sent events) sends `poke` with the newest cursor.
 * - The client sends the server epoch it last saw in {@link EPOCH_HEADER}; a different epoch (a
 *   restored database) or a cursor the server can no longer serve answers 409 `reset_required`.
 */

/** Synced entity kinds. `ticketRead` rows and personal `cannedReply` rows are visible only to the agent they belong to. */
export const SYNC_ENTITIES = ['ticket', 'message', 'contact', 'agent', 'intent', 'integration', 'ticketRead', 'cannedReply'] as const;
export const SyncEntity = z.enum(SYNC_ENTITIES);
export type SyncEntity = z.infer<typeof SyncEntity>;

export const EPOCH_HEADER = 'x-sync-epoch';

export const SyncChange = z.object({
  seq: z.number().int().positive(),
  entity: SyncEntity,
  id: z.string(),
  op: z.enum(['put', 'delete']),
  data: z.unknown(),
});
export type SyncChange = z.infer<typeof SyncChange>;

export const PullQuery = z.object({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  /** Alternative to the epoch header (EventSource can't send headers). */
  epoch: z.string().max(64).optional(),
});
export type PullQuery = z.output<typeof PullQuery>;

export const PullResponse = z.object({
  /** Pass this back as `cursor` for the next page / the next pull. */
  cursor: z.number().int().min(0),
  changes: z.array(SyncChange),
  /** Last mutation id the server has processed, for each of the signed-in agent's clients. */
  lastMutationIds: z.record(z.string(), z.number().int().min(0)),
  hasMore: z.boolean(),
  epoch: z.string(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/**
 * The stream's `poke` (its event id is `cursor`). When what changed since the client's cursor
 * `from` is small, `page` carries it (a final pull page: apply it when the local cursor is still
 * `from`); `more: true` means "pull": the changes did not fit, or the stream does not know `from`.
 */
export const StreamPoke = z.object({
  cursor: z.number().int().min(0),
  more: z.boolean(),
  from: z.number().int().min(0).optional(),
  page: PullResponse.optional(),
});
export type StreamPoke = z.infer<typeof StreamPoke>;

/** The stream's query: the client's cursor and epoch when it connects (EventSource can't send headers). */
export const StreamQuery = z.object({
  lastEventId: z.coerce.number().int().min(0).optional(),
  cursor: z.coerce.number().int().min(0).optional(),
  epoch: z.string().max(64).optional(),
});
export type StreamQuery = z.output<typeof StreamQuery>;

/**
 * A new device's first download (`GET /api/sync/snapshot`), before it follows the log from `head`:
 * `ticket` pages newest-updated first, then `other` (contacts, agents, intents, integration, read
 * marks), then `message` pages newest first in the background; `ticketId` asks for one ticket's
 * messages at once (a ticket opened before they arrived), or with `part=ticket` for one ticket the
 * device dropped (eviction) or never had. Rows are the latest of each entity (as in
 * a pull); `next` is passed back as `after` until it is null.
 */
export const SNAPSHOT_PARTS = ['ticket', 'other', 'message'] as const;
export const SnapshotQuery = z.object({
  part: z.enum(SNAPSHOT_PARTS),
  after: z.string().max(200).optional(),
  ticketId: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type SnapshotQuery = z.output<typeof SnapshotQuery>;
export const SnapshotResponse = z.object({
  changes: z.array(SyncChange),
  next: z.string().nullable(),
  /** The log's head when this page was read: the device follows the log from the first page's head. */
  head: z.number().int().min(0),
  epoch: z.string(),
});
export type SnapshotResponse = z.infer<typeof SnapshotResponse>;

export const MutationError = z.object({
  code: z.string(),
  message: z.string(),
  rule: z.string().optional(),
});
export type MutationError = z.infer<typeof MutationError>;

export const MutationResult = z.object({
  id: z.number().int().positive(),
  status: z.enum(['applied', 'rejected']),
  error: MutationError.optional(),
});
export type MutationResult = z.infer<typeof MutationResult>;

export const PushResponse = z.object({ results: z.array(MutationResult) });
export type PushResponse = z.infer<typeof PushResponse>;

/** A ticket's read mark for one agent (entity `ticketRead`, id `${ticketId}:${agentId}`). */
export const TicketRead = z.object({ ticketId: z.string(), agentId: z.string(), readAt: z.string() });
export type TicketRead = z.infer<typeof TicketRead>;

export function ticketReadId(ticketId: string, agentId: string): string {
  return `${ticketId}:${agentId}`;
}
