import { ErrorBodySchema, SnapshotQuery, SnapshotResponse } from '@desk/core';
import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../http/router.ts';
import type { SyncSnapshot } from './snapshot.ts';

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };

const snapshotRoute = createRoute({
  method: 'get',
  path: '/api/sync/snapshot',
  tags: ['sync'],
  summary: "A new device's first download, in the order the agent needs it",
  description:
    '`part=ticket` pages newest-updated first, `part=other` the small entities, `part=message` newest first (or `ticketId`: one ticket\'s messages). ' +
    'Pass `next` back as `after`. Then pull from the first page\'s `head`.',
  security: [{ bearer: [] }],
  request: { query: SnapshotQuery },
  responses: {
    200: { content: { 'application/json': { schema: SnapshotResponse } }, description: 'A page of current rows' },
    400: errors,
    401: errors,
  },
});

export function snapshotRoutes(snapshot: SyncSnapshot) {
  const router = createRouter();
  router.openapi(snapshotRoute, async (c) => c.json(await snapshot.read(c.var.agent, c.req.valid('query')), 200));
  return router;
}
