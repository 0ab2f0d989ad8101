import { ErrorBodySchema } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { forbidden } from '../../http/api-error.ts';
import { createRouter } from '../../http/router.ts';
import type { ChannelSettings } from '../channel-settings.ts';
import { channelOff, type InboxIntake, parseJsonBody, refuseUnlessAuthentic, storeInInboxThenAcknowledge, webhookResponses, webhookRoute } from '../inbound/webhook-response.ts';
import { metaSignatureValid, secretsEqual } from '../webhook-auth.ts';
import { normalizeMetaWebhook } from './meta-normalize.ts';

export const META_WEBHOOK_PATH = '/channels/meta/webhook';
export const META_SIGNATURE_HEADER = 'x-hub-signature-256';

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };
const utf8 = new TextDecoder();
const CHANNEL_NAMES = { whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram' } as const;

const verifyRoute = createRoute({
  method: 'get',
  path: META_WEBHOOK_PATH,
  tags: ['channels'],
  summary: 'Meta webhook verification handshake (WhatsApp, Messenger, Instagram)',
  description: 'Answers `hub.challenge` as the raw body when `hub.mode` is `subscribe` and `hub.verify_token` equals META_VERIFY_TOKEN.',
  request: {
    query: z.object({
      'hub.mode': z.string().optional(),
      'hub.verify_token': z.string().optional(),
      'hub.challenge': z.string().max(200).optional(),
    }),
  },
  responses: {
    200: { content: { 'text/plain': { schema: z.string() } }, description: 'The challenge, echoed' },
    403: { ...errors, description: 'Wrong verify token or mode' },
    404: { ...errors, description: 'The Meta webhook is not configured' },
  },
});

const webhookDoc = createRoute({
  method: 'post',
  path: META_WEBHOOK_PATH,
  tags: ['channels'],
  summary: 'Meta webhook: WhatsApp Cloud API, Messenger and Instagram, told apart by `object`',
  description:
    'Public, authenticated by `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with META_APP_SECRET). ' +
    '`object` is `whatsapp_business_account`, `page` (Messenger) or `instagram`; a channel that is not configured answers 404. ' +
    'Answers 200 once the event is in the inbox; messages are stored, the bot replies and files are downloaded after that.',
  request: { headers: z.object({ [META_SIGNATURE_HEADER]: z.string().optional() }) },
  responses: webhookResponses,
});

export function metaRoutes(deps: { settings: ChannelSettings; inbox: InboxIntake }) {
  const router = createRouter();

  router.openapi(verifyRoute, (c) => {
    const verifyToken = deps.settings.active('meta') ? deps.settings.value('meta', 'verifyToken') : undefined;
    if (!verifyToken) throw channelOff('Meta');
    const query = c.req.valid('query');
    const given = query['hub.verify_token'];
    if (query['hub.mode'] !== 'subscribe' || given === undefined || !secretsEqual(given, verifyToken)) {
      throw forbidden('The verify token does not match.');
    }
    return c.text(query['hub.challenge'] ?? '', 200);
  });

  webhookRoute(router, webhookDoc, async (c) => {
    const appSecret = deps.settings.active('meta') ? deps.settings.value('meta', 'appSecret') : undefined;
    if (!appSecret) throw channelOff('Meta');
    const header = c.req.header(META_SIGNATURE_HEADER);
    // The signature covers the exact bytes Meta sent: read them before anything parses the body.
    const raw = new Uint8Array(await c.req.arrayBuffer());
    refuseUnlessAuthentic(header ? (metaSignatureValid(raw, header, appSecret) ? 'ok' : 'wrong') : 'missing', 'X-Hub-Signature-256 signature');
    const text = utf8.decode(raw);
    const body = parseJsonBody(text);
    const result = await storeInInboxThenAcknowledge(deps.inbox, 'meta', text, () => {
      const normalized = normalizeMetaWebhook(body);
      if (!deps.settings.active(normalized.channel)) throw channelOff(CHANNEL_NAMES[normalized.channel]);
      return normalized;
    });
    return c.json(result, 200);
  });

  return router;
}
