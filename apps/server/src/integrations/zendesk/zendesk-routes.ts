import { DeskError, ErrorCode, ZENDESK_HANDOFF_TAG, ZendeskCardInput, ZendeskHandOffView, ZendeskIntegrationId, ZendeskIntegrationView } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../accounts/auth-middleware.ts';
import { parseJsonBody, webhookResponses } from '../../channels/inbound/webhook-response.ts';
import { checkSecretHeader } from '../../channels/webhook-auth.ts';
import { invalid, notFound, unauthenticated } from '../../http/api-error.ts';
import { bearer, errorResponse as errors, jsonBody, jsonResponse } from '../../http/openapi-common.ts';
import { createRouter } from '../../http/router.ts';
import type { HandOffsRepo } from './handoffs-repo.ts';
import { RemoteCallError } from './remote-call.ts';
import type { SunshineClient } from './sunshine-client.ts';
import { type ZendeskClient, ticketUrl } from './zendesk-client.ts';
import type { ZendeskConfig } from './zendesk-config.ts';
import type { ZendeskHandOffs } from './zendesk-handoffs.ts';
import type { ZendeskSettings } from './zendesk-settings.ts';
import { checkZendeskSignature } from './zendesk-signature.ts';

export const ZENDESK_WEBHOOK_PATH = '/integrations/zendesk/webhook';
export const ZENDESK_MESSAGING_WEBHOOK_PATH = '/integrations/zendesk-messaging/webhook';

const Views = z.object({ support: ZendeskIntegrationView, messaging: ZendeskIntegrationView });
const Params = z.object({ id: ZendeskIntegrationId });
const ConnectResult = z.object({
  ok: z.boolean(),
  description: z.string().openapi({ description: 'What Connect did, or Zendesk’s own description of why it failed' }),
  integration: ZendeskIntegrationView,
});

const listRoute = createRoute({
  method: 'get', path: '/api/integrations/zendesk', tags: ['integrations'], summary: 'The Zendesk Support and Zendesk messaging cards, secrets masked (admins)',
  security: bearer, middleware: [requirePermission('integrations.manage')] as const, responses: { 200: jsonResponse(Views), 401: errors, 403: errors },
});
const putRoute = createRoute({
  method: 'put', path: '/api/integrations/zendesk/{id}', tags: ['integrations'],
  summary: 'Change a Zendesk card: subject, tags, credentials (admins; secrets are write-only; changed credentials need a new Connect)',
  security: bearer, middleware: [requirePermission('integrations.manage')] as const, request: { params: Params, ...jsonBody(ZendeskCardInput) },
  responses: { 200: jsonResponse(z.object({ integration: ZendeskIntegrationView })), 400: errors, 401: errors, 403: errors },
});
const connectRoute = createRoute({
  method: 'post', path: '/api/integrations/zendesk/{id}/connect', tags: ['integrations'],
  summary: 'Connect: check the credentials; for Support also create Desk’s webhook and trigger and keep the signing secret (admins)',
  security: bearer, middleware: [requirePermission('integrations.manage')] as const, request: { params: Params },
  responses: { 200: jsonResponse(ConnectResult, 'The outcome (`ok: false` with Zendesk’s reason when it refused)'), 401: errors, 403: errors, 409: errors },
});
const disconnectRoute = createRoute({
  method: 'post', path: '/api/integrations/zendesk/{id}/disconnect', tags: ['integrations'],
  summary: 'Disconnect: intents sending hand-offs here fall back to Desk (admins)',
  security: bearer, middleware: [requirePermission('integrations.manage')] as const, request: { params: Params },
  responses: { 200: jsonResponse(z.object({ integration: ZendeskIntegrationView })), 401: errors, 403: errors },
});
const contactHandOffsRoute = createRoute({
  method: 'get', path: '/api/contacts/{id}/zendesk-handoffs', tags: ['contacts'], summary: 'An end user’s hand-offs to Zendesk, with the tickets’ links',
  security: bearer, middleware: [requirePermission('contacts.read')] as const, request: { params: z.object({ id: z.string().min(1) }) },
  responses: { 200: jsonResponse(z.object({ handoffs: z.array(ZendeskHandOffView) })), 401: errors, 403: errors },
});
const supportWebhookRoute = createRoute({
  method: 'post', path: ZENDESK_WEBHOOK_PATH, tags: ['channels'], summary: 'Zendesk Support webhook (a poke: Desk then reads the ticket)',
  description: 'Public, authenticated by `X-Zendesk-Webhook-Signature` (base64 HMAC-SHA256 of the timestamp header + raw body with the signing secret Connect stored). Unsigned or stale (> 5 min) requests get 401 and nothing is stored.',
  request: { headers: z.object({ 'x-zendesk-webhook-signature': z.string().optional(), 'x-zendesk-webhook-signature-timestamp': z.string().optional() }) },
  responses: webhookResponses,
});
const messagingWebhookRoute = createRoute({
  method: 'post', path: ZENDESK_MESSAGING_WEBHOOK_PATH, tags: ['channels'], summary: 'Sunshine Conversations webhook of the Zendesk messaging integration',
  description: 'Public, authenticated by `X-API-Key` (the webhook secret; ZENDESK_MESSAGING_WEBHOOK_SECRET). Agent messages go to the user, `switchboard:releaseControl` returns the user to the bot.',
  request: { headers: z.object({ 'x-api-key': z.string().optional() }) },
  responses: webhookResponses,
});

export interface ZendeskRoutesDeps {
  settings: ZendeskSettings;
  handOffs: ZendeskHandOffs;
  repo: HandOffsRepo;
  zendesk: ZendeskClient;
  sunshine: SunshineClient;
  config: ZendeskConfig;
  publicUrl: string;
  clock: () => string;
}

export function zendeskRoutes(deps: ZendeskRoutesDeps) {
  const { settings } = deps;
  const router = createRouter();
  const webhookUrl = (id: ZendeskIntegrationId) => `${deps.publicUrl}${id === 'support' ? ZENDESK_WEBHOOK_PATH : ZENDESK_MESSAGING_WEBHOOK_PATH}`;
  const view = (id: ZendeskIntegrationId) => settings.view(id, webhookUrl(id));

  router.openapi(listRoute, (c) => c.json({ support: view('support'), messaging: view('messaging') }, 200));

  router.openapi(putRoute, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const problems = settings.check(id, { ...(input.values && { values: input.values }) });
    if (Object.keys(problems).length > 0) throw invalid('Some settings are not valid.', problems);
    if (input.values) await settings.updateValues(id, input.values);
    if (input.subject !== undefined || input.tags !== undefined) {
      await settings.saveState(id, { ...(input.subject !== undefined && { subject: input.subject }), ...(input.tags !== undefined && { tags: input.tags }) });
    }
    return c.json({ integration: view(id) }, 200);
  });

  router.openapi(connectRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!settings.configured(id)) {
      throw new DeskError(
        ErrorCode.conflict,
        id === 'support' ? 'Set the subdomain and an OAuth token (or an e-mail and API token) first.' : 'Set the app id, key id and key secret first.',
      );
    }
    try {
      let description: string;
      if (id === 'support') {
        const me = await deps.zendesk.me();
        const webhookId = await deps.zendesk.createWebhook('Desk hand-off', webhookUrl('support'));
        const signingSecret = await deps.zendesk.signingSecret(webhookId);
        const triggerId = await deps.zendesk.createTrigger(webhookId, ZENDESK_HANDOFF_TAG);
        await settings.saveState('support', { connected: true, connectedAt: deps.clock(), lastError: null, webhookId, triggerId, signingSecret });
        description = `Connected as ${me.name}. Webhook ${webhookId} and trigger ${triggerId} created.`;
      } else {
        await deps.sunshine.check();
        await settings.saveState('messaging', { connected: true, connectedAt: deps.clock(), lastError: null });
        description = 'Connected: the app answered and its switchboard has the integration.';
      }
      return c.json({ ok: true, description, integration: view(id) }, 200);
    } catch (err) {
      if (!(err instanceof RemoteCallError)) throw err;
      await settings.saveState(id, { connected: false, lastError: `${deps.clock()}: ${err.description}` });
      return c.json({ ok: false, description: err.description, integration: view(id) }, 200);
    }
  });

  router.openapi(disconnectRoute, async (c) => {
    const { id } = c.req.valid('param');
    await settings.saveState(id, { connected: false, connectedAt: null });
    return c.json({ integration: view(id) }, 200);
  });

  router.openapi(contactHandOffsRoute, async (c) => {
    const subdomain = settings.values('support').subdomain ?? null;
    const handoffs = (await deps.repo.forContact(c.req.valid('param').id)).map((h) => ({
      id: h.id,
      destination: h.destination,
      state: h.state,
      subject: h.subject,
      zendeskTicketId: h.zendeskTicketId,
      url: h.zendeskTicketId !== null && subdomain ? ticketUrl(subdomain, h.zendeskTicketId) : null,
      createdAt: h.createdAt,
    }));
    return c.json({ handoffs }, 200);
  });

  router.openapi(supportWebhookRoute, async (c) => {
    const secret = settings.connected('support') ? settings.state('support').signingSecret : null;
    if (!secret) throw notFound('Zendesk Support is not connected.');
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const check = checkZendeskSignature(
      { signature: c.req.header('x-zendesk-webhook-signature'), timestamp: c.req.header('x-zendesk-webhook-signature-timestamp'), rawBody: raw, secret },
      Date.now(),
      deps.config.webhookMaxAgeMs,
    );
    if (check !== 'ok') throw unauthenticated(check === 'stale' ? 'The webhook timestamp is too old.' : 'The Zendesk webhook signature is missing or wrong.');
    const body = parseJsonBody(new TextDecoder().decode(raw)) as { ticket_id?: unknown } | null;
    const ticketId = Number(body?.ticket_id);
    if (!Number.isSafeInteger(ticketId) || ticketId <= 0) throw invalid('The body needs a ticket_id.');
    await deps.handOffs.poke(ticketId);
    return c.json({ ok: true as const }, 200);
  });

  router.openapi(messagingWebhookRoute, async (c) => {
    const secret = settings.connected('messaging') ? settings.values('messaging').webhookSecret : undefined;
    if (!secret) throw notFound('Zendesk messaging is not connected.');
    const check = checkSecretHeader(c.req.header('x-api-key'), secret);
    if (check !== 'ok') throw unauthenticated('The X-API-Key webhook secret is missing or wrong.');
    await deps.handOffs.sunshineEvents(parseJsonBody(await c.req.text()));
    return c.json({ ok: true as const }, 200);
  });

  return router;
}
