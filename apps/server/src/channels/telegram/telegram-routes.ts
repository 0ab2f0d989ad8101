import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../../http/router.ts';
import type { ChannelSettings } from '../channel-settings.ts';
import { channelOff, type InboxIntake, parseJsonBody, refuseUnlessAuthentic, storeInInboxThenAcknowledge, webhookResponses, webhookRoute } from '../inbound/webhook-response.ts';
import { checkSecretHeader } from '../webhook-auth.ts';
import type { TelegramClient } from './telegram-adapter.ts';
import { normalizeTelegramUpdate } from './telegram-normalize.ts';

export const TELEGRAM_WEBHOOK_PATH = '/channels/telegram/webhook';
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

const webhookDoc = createRoute({
  method: 'post',
  path: TELEGRAM_WEBHOOK_PATH,
  tags: ['channels'],
  summary: 'Telegram Bot API webhook (an `Update`)',
  description:
    'Public, authenticated by `X-Telegram-Bot-Api-Secret-Token` (the secret given to setWebhook; TELEGRAM_WEBHOOK_SECRET). ' +
    'Answers 200 once the update is in the inbox; the message is stored, the bot replies and files are downloaded after that.',
  request: { headers: z.object({ [TELEGRAM_SECRET_HEADER]: z.string().optional() }) },
  responses: webhookResponses,
});

export function telegramRoutes(deps: { settings: ChannelSettings; inbox: InboxIntake; telegram?: TelegramClient }) {
  const router = createRouter();
  webhookRoute(router, webhookDoc, async (c) => {
    const secret = deps.settings.active('telegram') ? deps.settings.value('telegram', 'webhookSecret') : undefined;
    if (!secret) throw channelOff('Telegram');
    refuseUnlessAuthentic(checkSecretHeader(c.req.header(TELEGRAM_SECRET_HEADER), secret), 'Telegram secret token');
    const raw = await c.req.text();
    const body = parseJsonBody(raw);
    const acknowledged = await storeInInboxThenAcknowledge(deps.inbox, 'telegram', raw, () => normalizeTelegramUpdate(body));
    const queryId = (body as { callback_query?: { id?: unknown } } | null)?.callback_query?.id;
    // Telegram shows the pressed button as loading until the query is answered; a failure only leaves the spinner.
    if (deps.telegram && typeof queryId === 'string') void deps.telegram.call('answerCallbackQuery', { callback_query_id: queryId }).catch(() => {});
    return c.json(acknowledged, 200);
  });
  return router;
}
