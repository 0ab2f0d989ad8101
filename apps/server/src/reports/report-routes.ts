import { Report, ReportQuery, ReportSettings } from '@desk/core';
import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import type { Db } from '../db/database.ts';
import { bearer, errorResponse as errors, jsonBody, jsonResponse } from '../http/openapi-common.ts';
import { createRouter } from '../http/router.ts';
import { buildReport } from './report-queries.ts';
import { readReportSettings, writeReportSettings } from './report-settings.ts';
import type { ReportRecorder } from './report-recorder.ts';
import type { ReportZone } from './report-zone.ts';

const reportRoute = createRoute({
  method: 'get', path: '/api/reports', tags: ['reports'], summary: 'The Reports page: bot and team figures for a range of days',
  description:
    'Days are counted in the workspace time zone (`GET /api/reports/settings`). `range` is today, 7d, 30d or custom (`from`, `to`: local dates, inclusive). ' +
    '`channel` narrows every figure; `intentId` narrows answers, hand-offs, tickets, team figures and the backlog. Admins get everything; agents get the team view and their own row (`bot` and `handOffsByIntent` are null).',
  security: bearer, middleware: [requirePermission('reports.read')] as const, request: { query: ReportQuery },
  responses: { 200: jsonResponse(Report), 400: errors, 401: errors, 403: errors },
});

const settingsRoute = createRoute({
  method: 'get', path: '/api/reports/settings', tags: ['reports'], summary: 'The workspace time zone and the misses retention',
  security: bearer, middleware: [requirePermission('reports.read')] as const,
  responses: { 200: jsonResponse(ReportSettings), 401: errors, 403: errors },
});

const putSettingsRoute = createRoute({
  method: 'put', path: '/api/reports/settings', tags: ['reports'], summary: 'Set the workspace time zone and the misses retention (admins)',
  security: bearer, middleware: [requirePermission('misses.manage')] as const, request: jsonBody(ReportSettings),
  responses: { 200: jsonResponse(ReportSettings), 400: errors, 401: errors, 403: errors },
});

export function reportRoutes(deps: { db: Db; reportZone: ReportZone; reports: ReportRecorder; onSettingsChanged?: () => void }) {
  const router = createRouter();
  router.openapi(reportRoute, async (c) => {
    const agent = c.var.agent;
    await deps.reports.settled();
    const report = await buildReport(deps.db, c.req.valid('query'), { id: agent.id, role: agent.role }, await readReportSettings(deps.db), Date.now());
    return c.json(report, 200);
  });
  router.openapi(settingsRoute, async (c) => c.json(await readReportSettings(deps.db), 200));
  router.openapi(putSettingsRoute, async (c) => {
    const settings = await deps.db.transaction(async () => {
      const before = await readReportSettings(deps.db);
      const after = await writeReportSettings(deps.db, c.req.valid('json'));
      // The daily roll-ups are counted again in the new zone, in the same transaction.
      if (after.timeZone !== before.timeZone) await deps.reportZone.changed();
      return after;
    });
    deps.onSettingsChanged?.();
    return c.json(settings, 200);
  });
  return router;
}
