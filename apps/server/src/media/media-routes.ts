import { ErrorBodySchema } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { requireSession } from '../accounts/auth-middleware.ts';
import type { Sessions } from '../accounts/sessions.ts';
import { createRouter } from '../http/router.ts';
import type { MediaRepo } from './media-repo.ts';
import type { MediaStore } from './media-store.ts';
import { serveMedia } from './serve-media.ts';

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };

const mediaRoute = createRoute({
  method: 'get',
  path: '/media/{id}',
  tags: ['media'],
  summary: 'A file an end user sent (signed-in agents only)',
  security: [{ bearer: [] }],
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: {
    200: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The file' },
    401: errors,
    404: errors,
  },
});

export function mediaRoutes(deps: { sessions: Sessions; media: MediaRepo; mediaStore: MediaStore }) {
  const router = createRouter();
  router.use('/media/*', requireSession(deps.sessions));
  router.openapi(mediaRoute, async (c) => serveMedia(deps.mediaStore, await deps.media.get(c.req.valid('param').id)) as never);
  return router;
}
