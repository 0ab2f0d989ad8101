import { META_WEBHOOK_PATH } from '../channels/meta/meta-routes.ts';
import { SMOOCH_WEBHOOK_PATH } from '../channels/smooch/smooch-routes.ts';
import { TELEGRAM_WEBHOOK_PATH } from '../channels/telegram/telegram-routes.ts';
import type { InboxSource } from './inbox-repo.ts';

/** The messaging platforms' webhooks: their path and the inbox source each fills. */
export const PLATFORM_WEBHOOKS: readonly (readonly [string, InboxSource])[] = [
  [TELEGRAM_WEBHOOK_PATH, 'telegram'],
  [META_WEBHOOK_PATH, 'meta'],
  [SMOOCH_WEBHOOK_PATH, 'smooch'],
];
