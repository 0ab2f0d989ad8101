import { DeskError, ErrorBodySchema, ErrorCode } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import { invalid } from '../http/api-error.ts';
import { createRouter } from '../http/router.ts';
import { ChannelSendError } from './channel-adapter.ts';
import { CHANNEL_SETTING_GROUPS, type ChannelSettingGroup, type ChannelSettings } from './channel-settings.ts';
import { META_WEBHOOK_PATH } from './meta/meta-routes.ts';
import { SMOOCH_WEBHOOK_PATH } from './smooch/smooch-routes.ts';
import type { TelegramClient } from './telegram/telegram-adapter.ts';
import { TELEGRAM_WEBHOOK_PATH } from './telegram/telegram-routes.ts';

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };
const security = [{ bearer: [] }];

const WEBHOOK_PATHS: Record<ChannelSettingGroup, string> = {
  telegram: TELEGRAM_WEBHOOK_PATH,
  meta: META_WEBHOOK_PATH,
  whatsapp: META_WEBHOOK_PATH,
  messenger: META_WEBHOOK_PATH,
  instagram: META_WEBHOOK_PATH,
  smooch: SMOOCH_WEBHOOK_PATH,
};

const GroupId = z.enum(CHANNEL_SETTING_GROUPS);
const ChannelSettingsView = z
  .object({
    id: GroupId,
    configured: z.boolean(),
    enabled: z.boolean(),
    active: z.boolean(),
    envOverrides: z.array(z.string()).openapi({ description: 'Variables set in the environment: they win over stored values.' }),
    requires: GroupId.nullable().openapi({ description: 'The group that must be configured too (the Meta webhook for WhatsApp, Messenger, Instagram).' }),
    webhookUrl: z.string(),
    fields: z.array(
      z.object({
        name: z.string(),
        envVar: z.string(),
        secret: z.boolean(),
        value: z.string().nullable().openapi({ description: 'Secrets are masked ("••••1234"), never returned in full.' }),
        fromEnv: z.boolean(),
      }),
    ),
  })
  .openapi('ChannelSettings');

const SettingsUpdate = z
  .object({
    enabled: z.boolean().optional(),
    values: z
      .record(z.string(), z.string().max(4096).nullable())
      .optional()
      .openapi({ description: 'Field → value. Omitted or masked secrets keep the stored value; null or "" clears it.' }),
  })
  .strict();

const listRoute = createRoute({
  method: 'get',
  path: '/api/integrations/channels',
  tags: ['integrations'],
  summary: 'Messaging channel settings, secrets masked (admins)',
  security,
  middleware: [requirePermission('integrations.manage')] as const,
  responses: {
    200: { content: { 'application/json': { schema: z.object({ channels: z.array(ChannelSettingsView) }) } }, description: 'OK' },
    401: errors,
    403: errors,
  },
});

const putRoute = createRoute({
  method: 'put',
  path: '/api/integrations/channels/{channel}',
  tags: ['integrations'],
  summary: 'Change a messaging channel’s settings (admins; secrets are write-only)',
  security,
  middleware: [requirePermission('integrations.manage')] as const,
  request: {
    params: z.object({ channel: GroupId }),
    body: { content: { 'application/json': { schema: SettingsUpdate } }, required: true },
  },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ channel: ChannelSettingsView }) } }, description: 'Saved' },
    400: errors,
    401: errors,
    403: errors,
  },
});

const registerRoute = createRoute({
  method: 'post',
  path: '/api/integrations/channels/telegram/register-webhook',
  tags: ['integrations'],
  summary: 'Point the Telegram bot at this Desk (setWebhook with PUBLIC_URL and the secret; admins)',
  security,
  middleware: [requirePermission('integrations.manage')] as const,
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ ok: z.boolean(), url: z.string(), description: z.string().nullable() }) } },
      description: 'What Telegram answered (`ok: false` with its reason when it refused or could not be reached)',
    },
    401: errors,
    403: errors,
    409: errors,
  },
});

export function channelSettingsRoutes(deps: { settings: ChannelSettings; telegram: TelegramClient; publicUrl: string }) {
  const router = createRouter();
  const view = (group: ChannelSettingGroup) => ({ ...deps.settings.view(group), webhookUrl: `${deps.publicUrl}${WEBHOOK_PATHS[group]}` });

  router.openapi(listRoute, (c) => c.json({ channels: CHANNEL_SETTING_GROUPS.map(view) }, 200));

  router.openapi(putRoute, async (c) => {
    const { channel } = c.req.valid('param');
    const update = c.req.valid('json');
    const problems = deps.settings.check(channel, update);
    if (Object.keys(problems).length > 0) throw invalid('Some settings are not valid.', problems);
    await deps.settings.update(channel, update);
    return c.json({ channel: view(channel) }, 200);
  });

  router.openapi(registerRoute, async (c) => {
    const url = `${deps.publicUrl}${TELEGRAM_WEBHOOK_PATH}`;
    const values = deps.settings.values('telegram');
    if (!values.botToken || !values.webhookSecret) {
      throw new DeskError(ErrorCode.conflict, 'Set the Telegram bot token and webhook secret first.');
    }
    try {
      const answer = await deps.telegram.setWebhook(url);
      return c.json({ ok: answer?.ok === true, url, description: typeof answer?.description === 'string' ? answer.description : null }, 200);
    } catch (err) {
      if (err instanceof ChannelSendError) return c.json({ ok: false, url, description: err.message }, 200);
      throw err;
    }
  });

  return router;
}
