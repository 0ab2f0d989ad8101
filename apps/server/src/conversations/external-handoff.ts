import {
  type Contact,
  type ExternalDestination,
  type HandOffDestination,
  type Intent,
  type IntentTicketStatus,
  intentDestination,
  type Message,
  type TicketPriority,
} from '@desk/core';
import type { DomainEvent } from '../events/domain-events.ts';
import type { BotLanguage } from './bot/languages.ts';
import type { ConversationRecord } from './conversations-repo.ts';

/**
 * What a hand-off asks for, wherever it goes: an intent's Desk panel gives it; a hand-off without an
 * intent (the bot's offer of a person, whose destination is chosen on the Desk card) builds its own.
 */
export interface HandOffRequest {
  intentId: string | null;
  /** Ends the ticket subject ("<card subject> — <name>"). */
  name: string;
  destination: HandOffDestination;
  status: IntentTicketStatus;
  priority: TicketPriority;
  zendeskGroupId: number | null;
}

export function handOffRequestOf(intent: Intent): HandOffRequest {
  return {
    intentId: intent.id,
    name: intent.name,
    destination: intentDestination(intent.desk),
    status: intent.desk.status,
    priority: intent.desk.priority,
    zendeskGroupId: intent.desk.zendeskGroupId ?? null,
  };
}

/**
 * Hand-offs that leave Desk (Zendesk Support, Zendesk messaging). The engine asks where a hand-off
 * really goes (Desk when that integration is not connected), starts it inside its own transaction,
 * and passes on what the user writes while an external agent holds the conversation.
 */
export interface ExternalHandOffs {
  /** The wanted destination, or Desk when that integration is not connected. */
  destinationFor(wanted: HandOffDestination): Promise<HandOffDestination>;
  /** Inside the engine's transaction: the hand-off row, the conversation's mode, the queued call. */
  begin(
    input: { conversation: ConversationRecord; contact: Contact; request: HandOffRequest; destination: ExternalDestination; language: BotLanguage },
    events: DomainEvent[],
  ): Promise<void>;
  /** Inside the engine's transaction: a user message for the external agent. */
  userMessage(conversation: ConversationRecord, message: Message): Promise<void>;
}
