import { EPOCH_HEADER, ErrorBodySchema, PullQuery, PullResponse, PushRequest, PushResponse, StreamQuery } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { revocationEnds, type Sessions } from '../accounts/sessions.ts';
import { clientAddress } from '../http/client-address.ts';
import { createRouter } from '../http/router.ts';
import { StreamCaps } from '../http/stream-caps.ts';
import type { PresenceHub } from '../presence/presence-hub.ts';
import { carriedPage, type StreamMemory } from './carried-page.ts';
import type { ChangeFeed, CommittedBatch } from './change-feed.ts';
import type { SyncPull } from './pull.ts';
import type { SyncPush } from './push.ts';
import { streamPoke } from './stream-poke.ts';

export interface SyncDeps {
  changes: ChangeFeed;
  pull: SyncPull;
  push: SyncPush;
  /** Streams end when their session is revoked (logout, deactivation, new password). */
  sessions: Sessions;
  /** Milliseconds between heartbeats on the event stream. */
  heartbeatMs?: number;
  /** Concurrent streams allowed per agent and per client address. */
  streamsPerAgent?: number;
  streamsPerAddress?: number;
  /** Counts an open stream (the SSE clients metric); answers the function that uncounts it. */
  trackStream?: () => () => void;
  /** Where the streams hear of commits: every instance's through the fan-out bus (fanout/sync-pokes.ts); default this one's change log. */
  pokes?: Pick<ChangeFeed, 'onPoke'>;
  /** Who is on which ticket: sent as `presence` events (never in the log), each agent's own entry left out. */
  presence?: PresenceHub;
}

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };
const security = [{ bearer: [] }];
const EpochHeader = z.object({ [EPOCH_HEADER]: z.string().max(64).optional() });

const pullRoute = createRoute({
  method: 'get',
  path: '/api/sync/pull',
  tags: ['sync'],
  summary: 'Changes after a cursor (cursor=0 bootstraps)',
  description:
    'Paged, gap-free and ordered by `seq`; only the latest change of each entity after the cursor is served. ' +
    `Send the last seen epoch in \`${EPOCH_HEADER}\` (or \`epoch\`): a different epoch or a cursor the log can no longer serve answers 409 \`reset_required\`.`,
  security,
  request: { query: PullQuery, headers: EpochHeader },
  responses: {
    200: { content: { 'application/json': { schema: PullResponse } }, description: 'A page of changes' },
    401: errors,
    409: errors,
  },
});

const pushRoute = createRoute({
  method: 'post',
  path: '/api/sync/push',
  tags: ['sync'],
  summary: "Apply a client's pending mutations, each at most once",
  description:
    'Mutation ids count up from 1 per client. Ids already processed are answered with their recorded result; a gap stops the batch; ' +
    'a mutation that breaks a rule is recorded `rejected` and does not block the ones after it.',
  security,
  request: { headers: EpochHeader, body: { content: { 'application/json': { schema: PushRequest } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: PushResponse } }, description: 'One result per processed mutation' },
    400: errors,
    401: errors,
    403: errors,
    409: errors,
  },
});

const streamRoute = createRoute({
  method: 'get',
  path: '/api/sync/stream',
  tags: ['sync'],
  summary: 'Server-sent events: `poke` after every committed change, carrying the changes when they are few',
  description:
    'Each `poke` has the cursor as its event id, so a reconnecting client (Last-Event-ID) is poked at once if it missed one. ' +
    'Connect with `cursor` (and `epoch`): while what changed since the cursor is small, a poke carries it as a pull page (`from`, `page`); ' +
    'otherwise it says `more` and the client pulls. A `heartbeat` keeps idle connections open. ' +
    '`presence` (`{entries: [{agentId, name, ticketId, typing}]}`) says who else has which ticket open, at connection and on every change; it is ephemeral.',
  security,
  request: { query: StreamQuery },
  responses: { 200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'Event stream' }, 401: errors },
});

/** At most one `presence` event per stream per this many milliseconds. */
const PRESENCE_EVENT_GAP_MS = 1000;
/**
 * A stream re-reads its session at least this often while pokes are carried from this instance's
 * commits (a revocation made on another instance shows within it; one made here ends the stream at once).
 */
const SESSION_RECHECK_MS = 1000;

export function syncRoutes(deps: SyncDeps) {
  const router = createRouter();
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const caps = new StreamCaps({ agent: deps.streamsPerAgent ?? 10, address: deps.streamsPerAddress ?? 50 });

  router.openapi(pullRoute, async (c) => {
    const query = c.req.valid('query');
    const epoch = c.req.header(EPOCH_HEADER) ?? query.epoch;
    return c.json(await deps.pull.pull(c.var.agent, { cursor: query.cursor, limit: query.limit, epoch }), 200);
  });

  router.openapi(pushRoute, async (c) => {
    await deps.pull.checkEpoch(c.req.header(EPOCH_HEADER));
    return c.json(await deps.push.push(c.var.agent, c.req.valid('json')), 200);
  });

  router.openapi(streamRoute, (c) => {
    const fromHeader = Number(c.req.header('last-event-id'));
    const query = c.req.valid('query');
    const fromQuery = query.lastEventId ?? query.cursor;
    let sent = Number.isFinite(fromHeader) && c.req.header('last-event-id') ? fromHeader : (fromQuery ?? -1);
    // Re-read after every wake (below): a role changed mid-stream applies to the next poke.
    let agent = c.var.agent;
    const session = { agentId: c.var.agent.id, tokenHash: c.var.sessionTokenHash };
    const release = caps.acquire([['agent', session.agentId], ['address', clientAddress(c)]]);
    c.header('Cache-Control', 'no-cache, no-transform');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let latest = await deps.changes.latestSeq();
      let closed = false;
      let wake: (() => void) | null = null;
      const untrack = deps.trackStream?.() ?? (() => {});
      // What this instance committed since the last poke: the next one is built from it, not read back.
      let batches: CommittedBatch[] = [];
      let memory: StreamMemory | null = null;
      const off = (deps.pokes ?? deps.changes).onPoke((cursor, batch) => {
        latest = Math.max(latest, cursor);
        if (batch) batches.push(batch);
        wake?.();
      });
      // The session and the agent as they are now: a revoked session or a database that went away
      // (shutdown) ends the stream; a changed role applies to the pokes from here on. Re-read before
      // a poke that reads the log or carries the agent's own row, and at least every
      // SESSION_RECHECK_MS (revocations on this instance end the stream at once, below).
      let checkedAt = Date.now();
      const recheck = async (): Promise<boolean> => {
        const now = await deps.sessions.liveAgent(session.tokenHash).catch(() => null);
        checkedAt = Date.now();
        if (now) agent = now;
        else closed = true;
        return !closed;
      };
      const carried = () => (memory ? carriedPage(batches, sent, agent, memory) : null);
      // Presence: the latest list for this agent, sent when it differs from the one sent before, at most
      // one event per PRESENCE_EVENT_GAP_MS (changes in between are folded into the next one).
      let presenceSent = '';
      let presenceDue = deps.presence !== undefined;
      let presenceAt = 0;
      const presenceWait = () => Math.max(0, PRESENCE_EVENT_GAP_MS - (Date.now() - presenceAt));
      const offPresence = deps.presence?.onChange(() => {
        presenceDue = true;
        wake?.();
      });
      const presenceData = () => JSON.stringify({ entries: deps.presence?.entries().filter((entry) => entry.agentId !== agent.id) ?? [] });
      const end = () => {
        closed = true;
        wake?.();
      };
      stream.onAbort(end);
      // Revoked (logout, deactivation, new password): the stream ends now; expiry is seen at the next heartbeat.
      const offRevoked = deps.sessions.onRevoked((revocation) => {
        if (revocationEnds(revocation, session)) end();
      });
      try {
        await stream.writeSSE({ event: 'hello', data: JSON.stringify({ cursor: latest, epoch: await deps.pull.currentEpoch() }), retry: 2000 });
        while (!closed) {
          if (latest > sent) {
            let built = carried();
            const ownRow = built?.changes.some((change) => change.entity === 'agent' && change.id === agent.id) ?? false;
            if (built === null || ownRow || Date.now() - checkedAt >= SESSION_RECHECK_MS) {
              if (!(await recheck())) break;
              if (built !== null) built = carried();
            }
            // What this poke covers: a commit heard while it reads the log is past it, for the next poke.
            const target = latest;
            const poke = await streamPoke(deps.pull, agent, sent, target, query.epoch, built);
            // Remember what the next carried page needs; a bare poke read nothing (the client pulls).
            const page = poke.page ?? built;
            memory = page ? { epoch: page.epoch, lastMutationIds: page.lastMutationIds } : null;
            sent = Math.max(target, poke.id);
            batches = batches.filter((batch) => batch.to > sent);
            await stream.writeSSE({ event: 'poke', id: String(poke.id), data: poke.data });
          }
          if (presenceDue && presenceWait() === 0) {
            presenceDue = false;
            const data = presenceData();
            if (data !== presenceSent) {
              presenceSent = data;
              presenceAt = Date.now();
              await stream.writeSSE({ event: 'presence', data });
            }
          }
          const woke = await new Promise<'woke' | 'presence' | 'idle'>((resolve) => {
            // A poke may have come while the last write was waiting for the reader.
            if (latest > sent || closed) return resolve('woke');
            const pace = presenceDue ? presenceWait() : heartbeatMs;
            if (presenceDue && pace === 0) return resolve('presence');
            const timer = setTimeout(() => resolve(presenceDue ? 'presence' : 'idle'), pace);
            wake = () => {
              clearTimeout(timer);
              resolve('woke');
            };
          });
          wake = null;
          if (!closed && (woke !== 'woke' || Date.now() - checkedAt >= SESSION_RECHECK_MS)) await recheck();
          if (woke === 'idle' && !closed) await stream.writeSSE({ event: 'heartbeat', data: String(Date.now()) });
        }
      } finally {
        off();
        offPresence?.();
        offRevoked();
        release();
        untrack();
      }
    }) as never;
  });

  return router;
}
