import { Hono } from 'hono';
import { secretsEqual } from '../channels/webhook-auth.ts';
import { notFound, unauthenticated } from '../http/api-error.ts';
import type { AppEnv } from '../http/app-env.ts';
import type { DeskMetrics } from './desk-metrics.ts';

/**
 * GET /metrics in Prometheus text format, for a scraper holding METRICS_TOKEN
 * (`Authorization: Bearer <token>`). Without a token configured the route does not exist.
 */
export function metricsRoutes(deps: { metrics: DeskMetrics; token: string | null }) {
  const router = new Hono<AppEnv>();
  router.get('/metrics', async (c) => {
    if (!deps.token) throw notFound();
    const header = c.req.header('authorization') ?? '';
    const given = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '';
    if (!given || !secretsEqual(given, deps.token)) throw unauthenticated('A valid metrics token is required.');
    const { body, contentType } = await deps.metrics.scrape();
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
  return router;
}
