import type { InboxEvent } from '../../inbox/inbox-processor.ts';
import type { InboxRow } from '../../inbox/inbox-repo.ts';
import { normalizeMetaWebhook } from '../meta/meta-normalize.ts';
import { normalizeSmoochWebhook } from '../smooch/smooch-normalize.ts';
import { normalizeTelegramUpdate } from '../telegram/telegram-normalize.ts';
import { webchatInbound } from '../webchat/webchat-inbox.ts';

/**
 * An inbox row's raw event → the messages and delivery reports it carries. The webhook already
 * checked the shape with the same normaliser, so this throws only on a row that was tampered with.
 */
export function decodeInboxEvent(row: InboxRow): InboxEvent {
  const body = JSON.parse(row.payload) as unknown;
  switch (row.source) {
    case 'telegram':
      return normalizeTelegramUpdate(body);
    case 'meta':
      return normalizeMetaWebhook(body);
    case 'smooch':
      // The app id was checked when the webhook was received.
      return normalizeSmoochWebhook(body, null);
    case 'webchat':
      return { messages: [webchatInbound(body)], statuses: [] };
    default: {
      const unknownSource: never = row.source;
      throw new Error(`Unknown inbox source: ${String(unknownSource)}`);
    }
  }
}
