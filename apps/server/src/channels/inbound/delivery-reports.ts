import type { DeliveryState, Message } from '@desk/core';
import type { MessagesRepo } from '../../conversations/messages-repo.ts';
import type { DeliveryReport } from './channel-inbound.ts';

const DELIVERY_RANK: Record<DeliveryState, number> = { pending: 0, sent: 1, delivered: 2, failed: 3 };

/**
 * Inside a transaction: a platform's word on a message Desk sent moves its delivery forward, never
 * back. Answers the message as now stored (to announce after the commit), or null when nothing changed.
 */
export async function applyDeliveryReport(messages: MessagesRepo, report: DeliveryReport): Promise<Message | null> {
  const current = await messages.findByChannelId(report.channel, report.channelMessageId);
  if (!current || (current.authorKind !== 'bot' && current.authorKind !== 'agent')) return null;
  const state = current.delivery?.state ?? 'pending';
  if (DELIVERY_RANK[report.state] <= DELIVERY_RANK[state]) return null;
  return messages.setDelivery(current.id, { ...current.delivery, state: report.state, ...(report.error && { error: report.error }) });
}
