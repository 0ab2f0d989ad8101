import { ErrorBodySchema, PushSubscriptionInput } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { conflict, invalid } from '../http/api-error.ts';
import { createRouter } from '../http/router.ts';
import { isKnownPushEndpoint } from './push-endpoints.ts';
import type { PushSubscriptionsRepo } from './push-subscriptions-repo.ts';

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };
const security = [{ bearer: [] }];

const keyRoute = createRoute({
  method: 'get',
  path: '/api/push/public-key',
  tags: ['push'],
  summary: "The server's VAPID public key, for PushManager.subscribe",
  security,
  responses: { 200: { content: { 'application/json': { schema: z.object({ publicKey: z.string() }) } }, description: 'OK' }, 401: errors },
});

const subscribeRoute = createRoute({
  method: 'post',
  path: '/api/push/subscriptions',
  tags: ['push'],
  summary: 'Receive push notifications on this device',
  security,
  request: { body: { content: { 'application/json': { schema: PushSubscriptionInput } }, required: true } },
  description: "The endpoint must be a browser push service's (FCM, Mozilla, Apple, Windows). An agent keeps their 10 newest devices.",
  responses: { 204: { description: 'Subscribed' }, 400: errors, 401: errors, 409: errors },
});

const unsubscribeRoute = createRoute({
  method: 'delete',
  path: '/api/push/subscriptions',
  tags: ['push'],
  summary: 'Stop push notifications on this device',
  security,
  request: { body: { content: { 'application/json': { schema: z.object({ endpoint: z.string().max(2000) }) } }, required: true } },
  responses: { 204: { description: 'Unsubscribed' }, 400: errors, 401: errors },
});

export function pushRoutes(deps: {
  pushSubscriptions: PushSubscriptionsRepo;
  vapidPublicKey: string;
  config: { pushServiceOrigins: string[]; pushSubscriptionsPerAgent: number };
}) {
  const router = createRouter();
  router.openapi(keyRoute, (c) => c.json({ publicKey: deps.vapidPublicKey }, 200));
  router.openapi(subscribeRoute, async (c) => {
    const input = c.req.valid('json');
    if (!isKnownPushEndpoint(input.endpoint, deps.config.pushServiceOrigins)) {
      throw invalid('This is not the address of a browser push service.', { endpoint: 'Not a known push service.' });
    }
    if (!(await deps.pushSubscriptions.save(c.var.agent.id, input, deps.config.pushSubscriptionsPerAgent))) {
      throw conflict('This device receives another agent’s notifications.', { endpoint: 'Already in use by another agent.' });
    }
    return c.body(null, 204);
  });
  router.openapi(unsubscribeRoute, async (c) => {
    await deps.pushSubscriptions.remove(c.req.valid('json').endpoint, c.var.agent.id);
    return c.body(null, 204);
  });
  return router;
}
