import { ErrorBodySchema } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import { notFound } from '../http/api-error.ts';
import { createRouter } from '../http/router.ts';
import { INBOX_SOURCES, type InboxRepo } from './inbox-repo.ts';

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };
const security = [{ bearer: [] }];

const SetAsideEvent = z
  .object({
    id: z.number().int(),
    source: z.enum(INBOX_SOURCES),
    eventId: z.string().openapi({ description: "The platform's id for the event (Telegram update_id, message ids, the web chat message id)." }),
    error: z.string().openapi({ description: 'What the processor threw, the last time it tried.' }),
    attempts: z.number().int(),
    receivedAt: z.string(),
    setAsideAt: z.string(),
    payload: z.string().openapi({ description: 'The raw event as received.' }),
  })
  .openapi('SetAsideInboxEvent');

const listRoute = createRoute({
  method: 'get',
  path: '/api/inbox/set-aside',
  tags: ['inbox'],
  summary: 'Inbound events the processor set aside because they kept failing, newest first (admins)',
  security,
  middleware: [requirePermission('integrations.manage')] as const,
  responses: {
    200: { content: { 'application/json': { schema: z.object({ events: z.array(SetAsideEvent) }) } }, description: 'OK' },
    401: errors,
    403: errors,
  },
});

const retryRoute = createRoute({
  method: 'post',
  path: '/api/inbox/set-aside/{id}/retry',
  tags: ['inbox'],
  summary: 'Put a set-aside event back in line, after its cause was fixed (admins)',
  security,
  middleware: [requirePermission('integrations.manage')] as const,
  request: { params: z.object({ id: z.coerce.number().int().positive() }) },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } }, description: 'Back in the inbox' },
    401: errors,
    403: errors,
    404: errors,
  },
});

/** Admins see the poison events the inbox processor set aside, and can send one through again. */
export function inboxRoutes(deps: { inboxRepo: InboxRepo; inbox: { nudge(): void } }) {
  const router = createRouter();
  router.openapi(listRoute, async (c) => {
    const events = (await deps.inboxRepo.setAside()).map(({ processedAt, ...row }) => ({ ...row, setAsideAt: processedAt }));
    return c.json({ events }, 200);
  });
  router.openapi(retryRoute, async (c) => {
    if (!(await deps.inboxRepo.requeue(c.req.valid('param').id))) throw notFound('No set-aside event with this id.');
    deps.inbox.nudge();
    return c.json({ ok: true as const }, 200);
  });
  return router;
}
