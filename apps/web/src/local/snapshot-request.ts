import type { SnapshotQuery, SnapshotResponse } from '@desk/core';
import { api } from '../api/client.ts';

/**
 * One page of a new device's download from the Desk server on the same origin. Types only from core:
 * sign-in (in the entry chunk) asks for the first page, and core's schemas stay out of that chunk.
 */
export function fetchSnapshot(query: Partial<SnapshotQuery> & Pick<SnapshotQuery, 'part'>): Promise<SnapshotResponse> {
  const params = new URLSearchParams({ part: query.part });
  if (query.after) params.set('after', query.after);
  if (query.ticketId) params.set('ticketId', query.ticketId);
  if (query.limit) params.set('limit', String(query.limit));
  return api<SnapshotResponse>(`/api/sync/snapshot?${params}`);
}
