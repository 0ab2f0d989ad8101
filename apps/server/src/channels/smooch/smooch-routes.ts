import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../../http/router.ts';
import type { ChannelSettings } from '../channel-settings.ts';
import { channelOff, type InboxIntake, parseJsonBody, refuseUnlessAuthentic, storeInInboxThenAcknowledge, webhookResponses, webhookRoute } from '../inbound/webhook-response.ts';
import { checkSecretHeader } from '../webhook-auth.ts';
import { normalizeSmoochWebhook } from './smooch-normalize.ts';

export const SMOOCH_WEBHOOK_PATH = '/channels/smooch/webhook';
export const SMOOCH_SECRET_HEADER = 'x-api-key';

const webhookDoc = createRoute({
  method: 'post',
  path: SMOOCH_WEBHOOK_PATH,
  tags: ['channels'],
  summary: 'Sunshine Conversations (Smooch) v2 webhook',
  description:
    'Public, authenticated by `X-API-Key` (the webhook secret; SMOOCH_WEBHOOK_SECRET). Every element of `events` is processed; ' +
    'business-authored messages (Desk’s own, echoed) are ignored. Answers 200 once the event is in the inbox.',
  request: { headers: z.object({ [SMOOCH_SECRET_HEADER]: z.string().optional() }) },
  responses: webhookResponses,
});

export function smoochRoutes(deps: { settings: ChannelSettings; inbox: InboxIntake; events?: (body: unknown) => Promise<void> }) {
  const router = createRouter();
  webhookRoute(router, webhookDoc, async (c) => {
    const secret = deps.settings.active('smooch') ? deps.settings.value('smooch', 'webhookSecret') : undefined;
    if (!secret) throw channelOff('Sunshine Conversations');
    refuseUnlessAuthentic(checkSecretHeader(c.req.header(SMOOCH_SECRET_HEADER), secret), 'X-API-Key webhook secret');
    const raw = await c.req.text();
    const body = parseJsonBody(raw);
    const appId = deps.settings.value('smooch', 'appId') ?? null;
    const answer = await storeInInboxThenAcknowledge(deps.inbox, 'smooch', raw, () => normalizeSmoochWebhook(body, appId));
    await deps.events?.(body);
    return c.json(answer, 200);
  });
  return router;
}
