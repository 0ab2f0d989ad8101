import { ErrorBodySchema, PresenceBeat } from '@desk/core';
import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import { createRouter } from '../http/router.ts';
import type { PresenceRelay } from '../fanout/presence-relay.ts';

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };

const beatRoute = createRoute({
  method: 'post',
  path: '/api/presence',
  tags: ['sync'],
  summary: 'Which ticket this agent has open, and whether they are typing a reply (ephemeral)',
  description:
    'Held in memory only, with a time to live (viewing 30 s after the last beat, typing 5 s); others hear of it as `presence` events on ' +
    '`/api/sync/stream`. Send it when it changes, or every 15 s while it does not; `ticketId: null` leaves.',
  security: [{ bearer: [] }],
  middleware: [requirePermission('tickets.work')] as const,
  request: { body: { content: { 'application/json': { schema: PresenceBeat } }, required: true } },
  responses: { 204: { description: 'Taken' }, 400: errors, 401: errors, 403: errors },
});

export function presenceRoutes(deps: { presence: PresenceRelay }) {
  const router = createRouter();
  router.openapi(beatRoute, (c) => {
    deps.presence.beat(c.var.agent, c.req.valid('json'));
    return c.body(null, 204);
  });
  return router;
}
