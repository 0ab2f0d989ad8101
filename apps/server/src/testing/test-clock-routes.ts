import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import { bearer, errorResponse as errors, jsonBody, jsonResponse } from '../http/openapi-common.ts';
import { createRouter } from '../http/router.ts';
import type { TestClock } from './test-clock.ts';

const ClockSetting = z.object({ at: z.string().datetime({ offset: true }).nullable() });
const ClockReading = z.object({ now: z.string() });

const setClockRoute = createRoute({
  method: 'put', path: '/api/test/clock', tags: ['testing'], summary: 'Test-only: the time the server stamps events with (DESK_TEST_CLOCK=1)',
  description: 'Only served when DESK_TEST_CLOCK=1. `at` sets the clock, which runs on from there; null returns to the real time.',
  security: bearer, middleware: [requirePermission('agents.manage')] as const, request: jsonBody(ClockSetting),
  responses: { 200: jsonResponse(ClockReading), 400: errors, 401: errors, 403: errors },
});

/** Mounted only when the test clock is on (app.ts). Admins only. */
export function testClockRoutes(deps: { testClock: TestClock }) {
  const router = createRouter();
  router.openapi(setClockRoute, async (c) => {
    const { at } = c.req.valid('json');
    deps.testClock.setTo(at === null ? null : Date.parse(at));
    return c.json({ now: new Date(deps.testClock.now()).toISOString() }, 200);
  });
  return router;
}
