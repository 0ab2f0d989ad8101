import { EPOCH_HEADER, type PullResponse, type PushRequest, type PushResponse, type SnapshotQuery, type SnapshotResponse } from '@desk/core';
import { api, isApiError } from '../api/client.ts';
import { withFirstTicketPage } from './first-ticket-page.ts';
import { fetchSnapshot } from './snapshot-request.ts';

/** How the sync engine talks to the server; tests pass an in-memory or loopback one. */
export interface SyncTransport {
  pull(cursor: number, epoch: string | undefined, limit?: number): Promise<PullResponse>;
  push(request: PushRequest, epoch: string | undefined): Promise<PushResponse>;
  /** A new device's first download, in the order the agent needs it (absent: bootstrap by pulling from 0). */
  snapshot?(query: Partial<SnapshotQuery> & Pick<SnapshotQuery, 'part'>): Promise<SnapshotResponse>;
  /** A page the event stream carried, about to be applied (it follows on from `from`). */
  received?(page: PullResponse, from: number): Promise<void>;
}

/** The server can't continue from our cursor (restored database, compacted log): bootstrap again. */
export class ResetRequiredError extends Error {
  constructor(message = 'reset required') {
    super(message);
    this.name = 'ResetRequiredError';
  }
}

const epochHeaders = (epoch: string | undefined): Record<string, string> => (epoch ? { [EPOCH_HEADER]: epoch } : {});

function rethrow(error: unknown): never {
  if (isApiError(error, 'reset_required')) throw new ResetRequiredError(error.message);
  throw error;
}

/** The Desk server on the same origin, with the session cookie. */
export const httpTransport: SyncTransport = {
  pull: (cursor, epoch, limit = 1000) =>
    api<PullResponse>(`/api/sync/pull?cursor=${cursor}&limit=${limit}`, { headers: epochHeaders(epoch) }).catch(rethrow),
  push: (request, epoch) => api<PushResponse>('/api/sync/push', { method: 'POST', body: request, headers: epochHeaders(epoch) }).catch(rethrow),
  // A new device's first list page may have been asked for at sign-in (local/first-ticket-page.ts).
  snapshot: withFirstTicketPage(fetchSnapshot),
};
