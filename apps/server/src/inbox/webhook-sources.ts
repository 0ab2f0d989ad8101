import { META_WEBHOOK_PATH } from '../channels/meta/meta-routes.ts';
import { SMOOCH_WEBHOOK_PATH } from '../channels/smooch/smooch-routes.ts';
import { TELEGRAM_WEBHOOK_PATH } from '../channels/telegram/telegram-routes.ts';
import { WEBCHAT_MESSAGES_PATH } from '../channels/webchat/webchat-routes.ts';
import type { InboxSource } from './inbox-repo.ts';

const PATHS: Record<string, InboxSource> = {
  [TELEGRAM_WEBHOOK_PATH]: 'telegram',
  [META_WEBHOOK_PATH]: 'meta',
  [SMOOCH_WEBHOOK_PATH]: 'smooch',
  [WEBCHAT_MESSAGES_PATH]: 'webchat',
};

/** The inbox source a POST to this path fills, or null for other paths (the metrics label). */
export function webhookSourceOf(path: string): InboxSource | null {
  return PATHS[path] ?? null;
}
