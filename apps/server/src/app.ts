import { DeskError, ErrorCode } from '@desk/core';
import type { Hono, MiddlewareHandler } from 'hono';
import { agentsRoutes } from './accounts/agents-routes.ts';
import { requireSession } from './accounts/auth-middleware.ts';
import { authRoutes } from './accounts/auth-routes.ts';
import { docsRoutes } from './docs/docs-routes.ts';
import type { AppEnv } from './http/app-env.ts';
import { bodyLimits, jsonBodyLimit } from './http/body-limits.ts';
import { clientAddressMiddleware } from './http/client-address.ts';
import { refuseCrossSiteRequests } from './http/csrf.ts';
import { securityHeaders } from './http/security-headers.ts';
import { handleError, handleNotFound } from './http/error-handler.ts';
import { createRouter } from './http/router.ts';
import type { Services } from './services.ts';
import { createSync } from './sync/sync-module.ts';
import { WEBCHAT_MESSAGES_PATH, webchatRoutes } from './channels/webchat/webchat-routes.ts';
import { contactsRoutes } from './contacts/contacts-routes.ts';
import { intentTryRoutes } from './intents/intent-try-routes.ts';
import { intentWarningsRoutes } from './intents/intent-warnings-routes.ts';
import { intentsRoutes } from './intents/intents-routes.ts';
import { deskIntegrationRoutes } from './integrations/desk-integration-routes.ts';
import { mediaRoutes } from './media/media-routes.ts';
import { replyCarriesFile, ticketsRoutes } from './tickets/tickets-routes.ts';
import { pushRoutes } from './push/push-routes.ts';
import { pwaRoutes } from './web/serve-pwa.ts';
import { inboxRoutes } from './inbox/inbox-routes.ts';
import { reportRoutes } from './reports/report-routes.ts';
import { missesRoutes } from './bot-misses/misses-routes.ts';
import { PLATFORM_WEBHOOKS } from './inbox/webhook-sources.ts';
import { testClockRoutes } from './testing/test-clock-routes.ts';
import { metricsRoutes } from './metrics/metrics-routes.ts';
import { widgetAssetRoutes } from './channels/webchat/widget-assets.ts';
import { PresenceRelay } from './fanout/presence-relay.ts';
import { PresenceHub } from './presence/presence-hub.ts';
import { presenceRoutes } from './presence/presence-routes.ts';

const PUBLIC_API = new Set(['/api/auth/login', '/api/auth/set-password', '/api/auth/set-password/check', '/api/openapi.json', '/api/docs']);

function isPublicApi(path: string): boolean {
  return PUBLIC_API.has(path) || path.startsWith('/api/docs/');
}

/**
 * Joins one router per domain. Order matters: API and channels first, the PWA last. `outermost`
 * runs before everything (main.ts: the shutdown's request gate and stream hang-ups).
 */
export function createApp(services: Services, options: { outermost?: MiddlewareHandler[] } = {}): Hono<AppEnv> {
  const app = createRouter();
  app.onError(handleError);
  for (const middleware of options.outermost ?? []) app.use('*', middleware);

  // The platforms' webhooks come first, on a short path: no page headers, client address or session
  // (a platform is no browser, and each webhook checks its own secret or signature), only the body
  // limit and the acknowledgement's latency. They answer here; nothing registered below runs for them.
  const webhookLimit = jsonBodyLimit();
  for (const [path, source] of PLATFORM_WEBHOOKS) {
    app.use(path, async (c, next) => {
      if (c.req.method !== 'POST') return next();
      const started = performance.now();
      try {
        await webhookLimit(c, next);
      } catch (err) {
        c.res = handleError(err instanceof Error ? err : new Error(String(err)), c);
      }
      services.metrics.observeWebhook(source, c.res.status, (performance.now() - started) / 1000);
    });
  }
  for (const routes of services.channels.webhookRoutes()) app.route('/', routes);

  // CSP on every page, no framing, no referrer, unused browser features off (see security-headers.ts).
  app.use('*', securityHeaders());
  app.get('/healthz', (c) => c.json({ ok: true }));
  // The client's address (X-Forwarded-For only through TRUST_PROXY), for throttles and caps.
  app.use('*', clientAddressMiddleware(services.config.trustProxy));
  // How long the web chat's POST takes to acknowledge (the platforms' webhooks are timed above).
  app.use(WEBCHAT_MESSAGES_PATH, async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const started = performance.now();
    await next();
    services.metrics.observeWebhook('webchat', c.res.status, (performance.now() - started) / 1000);
  });
  // Before anything reads a body (webhook signatures, multipart parsing, JSON validation).
  app.use('*', bodyLimits(services.config.mediaMaxBytes));
  app.route('/', metricsRoutes({ metrics: services.metrics, token: services.config.metricsToken }));

  app.use('/api/*', async (c, next) => {
    const method = c.req.method;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      const type = c.req.header('content-type') ?? '';
      const length = Number(c.req.header('content-length') ?? '0');
      const hasBody = length > 0 || c.req.header('transfer-encoding') !== undefined;
      // A file posted as a reply is answered by the tickets router with the rule it breaks.
      if (hasBody && !/^application\/json\b/i.test(type) && !replyCarriesFile(method, c.req.path, type)) {
        throw new DeskError(ErrorCode.unsupportedMediaType, 'Send JSON with Content-Type: application/json.');
      }
    }
    await next();
  });
  // A cookie-carried state change needs JSON or this site's Origin (cross-site request forgery).
  app.use('/api/*', refuseCrossSiteRequests(services.config.publicUrl));
  const sessionGuard = requireSession(services.sessions);
  app.use('/api/*', async (c, next) => (isPublicApi(c.req.path) ? next() : sessionGuard(c, next)));

  app.route('/', authRoutes({ ...services, secureCookies: services.config.secureCookies, sessionDays: services.config.sessionDays }));
  app.route('/', agentsRoutes({ ...services, publicUrl: services.config.publicUrl }));
  // Presence is in memory only (a hub per process, beats relayed to the other instances): beats come
  // in over POST, go out on the sync streams.
  const presence = new PresenceHub();
  app.route('/', createSync(services, { trackStream: () => services.metrics.trackStream('sync'), pokes: services.syncPokes, presence }).routes());
  app.route('/', presenceRoutes({ presence: new PresenceRelay(presence, services.fanout) }));
  app.route('/', ticketsRoutes(services));
  app.route('/', intentTryRoutes(services));
  app.route('/', intentWarningsRoutes(services));
  app.route('/', intentsRoutes(services));
  app.route('/', contactsRoutes(services));
  app.route('/', deskIntegrationRoutes(services));
  app.route('/', mediaRoutes(services));
  app.route('/', pushRoutes(services));
  app.route('/', inboxRoutes(services));
  app.route('/', reportRoutes({ db: services.db, reportZone: services.reportZone, reports: services.reports, onSettingsChanged: () => void services.missesRetention.runOnce().catch((err) => console.error('[desk] misses retention failed', err)) }));
  app.route('/', missesRoutes(services));
  if (services.testClock) app.route('/', testClockRoutes({ testClock: services.testClock }));
  app.route('/', webchatRoutes({
    ...services,
    mediaMaxBytes: services.config.mediaMaxBytes,
    newVisitorsPerHour: services.config.webchatNewVisitorsPerHour,
    trackStream: () => services.metrics.trackStream('webchat'),
  }));
  for (const routes of services.channels.routes()) app.route('/', routes);
  app.route('/', services.zendesk.routes());

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Desk API', version: '0.1.0', description: 'The helpdesk for chatbot-first support.' },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.route('/', docsRoutes());

  app.all('/api/*', handleNotFound);
  app.route('/', widgetAssetRoutes());
  app.route('/', pwaRoutes(services.config.webDist));
  app.notFound(handleNotFound);
  return app;
}
