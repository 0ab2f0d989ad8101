import { DeskIntegration, DeskIntegrationInput } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import { bearer, errorResponse as errors, jsonBody, jsonResponse } from '../http/openapi-common.ts';
import { createRouter } from '../http/router.ts';
import type { DeskIntegrationRepo } from './desk-integration-repo.ts';

const Body = z.object({ integration: DeskIntegration });

const getRoute = createRoute({
  method: 'get', path: '/api/integrations/desk', tags: ['integrations'], summary: 'The Desk integration (ticket subject and tags)',
  security: bearer, responses: { 200: jsonResponse(Body), 401: errors },
});
const putRoute = createRoute({
  method: 'put', path: '/api/integrations/desk', tags: ['integrations'], summary: 'Change the Desk integration (admins)',
  security: bearer, middleware: [requirePermission('integrations.manage')] as const, request: jsonBody(DeskIntegrationInput),
  responses: { 200: jsonResponse(Body), 400: errors, 401: errors, 403: errors },
});

export function deskIntegrationRoutes(deps: { integration: DeskIntegrationRepo }) {
  const router = createRouter();
  router.openapi(getRoute, async (c) => c.json({ integration: await deps.integration.get() }, 200));
  router.openapi(putRoute, async (c) => c.json({ integration: await deps.integration.put(c.req.valid('json')) }, 200));
  return router;
}
