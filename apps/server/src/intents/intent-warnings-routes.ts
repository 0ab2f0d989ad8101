import { IntentWarnings } from '@desk/core';
import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import { bearer, errorResponse as errors, jsonResponse } from '../http/openapi-common.ts';
import { createRouter } from '../http/router.ts';
import type { IntentChecks } from './intent-checks.ts';

const warningsRoute = createRoute({
  method: 'get', path: '/api/intents/warnings', tags: ['intents'], summary: 'What the Intents page warns about',
  description:
    'Intents with too few phrases in a language they have an answer in, and pairs of intents the bot confuses (cross-validation over the training phrases). ' +
    'Computed in the background after the bot trained; `state` is `checking` (with the previous warnings) until the current intents are checked.',
  security: bearer, middleware: [requirePermission('intents.read')] as const,
  responses: { 200: jsonResponse(IntentWarnings), 401: errors, 403: errors },
});

export function intentWarningsRoutes(deps: { intentChecks: IntentChecks }) {
  const router = createRouter();
  router.openapi(warningsRoute, (c) => c.json(deps.intentChecks.current(), 200));
  return router;
}
