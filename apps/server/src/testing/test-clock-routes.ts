import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import { conflict } from '../http/api-error.ts';
import { bearer, errorResponse as errors, jsonBody, jsonResponse } from '../http/openapi-common.ts';
import { createRouter } from '../http/router.ts';
import type { Clock } from '../shared/clock.ts';
import type { TestClock } from './test-clock.ts';

const ClockSetting = z.object({ at: z.string().datetime({ offset: true }).nullable() });
const ClockReading = z.object({ now: z.string() });

const setClockRoute = createRoute({
  method: 'put', path: '/api/test/clock', tags: ['testing'], summary: 'Test-only: the time the server stamps events with (DESK_TEST_CLOCK=1)',
  description: 'Only served when DESK_TEST_CLOCK=1. `at` sets the clock (it runs on from there); null returns to the real time. The clock never goes back: an earlier time than one already handed out is refused (409).',
  security: bearer, middleware: [requirePermission('agents.manage')] as const, request: jsonBody(ClockSetting),
  responses: { 200: jsonResponse(ClockReading), 400: errors, 401: errors, 403: errors, 409: errors },
});

/** Mounted only when the test clock is on (app.ts). Admins only. */
export function testClockRoutes(deps: { testClock: TestClock; clock: Clock }) {
  const router = createRouter();
  router.openapi(setClockRoute, async (c) => {
    const { at } = c.req.valid('json');
    if (at !== null) {
      // Timestamps only grow (shared/clock.ts): going back would stamp everything after the last one.
      const target = Date.parse(at);
      if (target < Date.parse(deps.clock())) throw conflict('The clock never goes back: choose a time after the last event.', { at: 'Earlier than the last event.' });
      deps.testClock.setTo(target);
    } else deps.testClock.setTo(null);
    return c.json({ now: new Date(deps.testClock.now()).toISOString() }, 200);
  });
  return router;
}
