import type { Contact, ExternalDestination, HandOffDestination, Intent, Message } from '@desk/core';
import type { DomainEvent } from '../events/domain-events.ts';
import type { BotLanguage } from './bot/languages.ts';
import type { ConversationRecord } from './conversations-repo.ts';

/**
 * Hand-offs that leave Desk (Zendesk Support, Zendesk messaging). The engine asks where an
 * intent's hand-off goes, starts it inside its own transaction, and passes on what the user writes
 * while an external agent holds the conversation.
 */
export interface ExternalHandOffs {
  /** The intent's destination, or Desk when that integration is not connected. */
  destinationFor(intent: Intent): HandOffDestination;
  /** Inside the engine's transaction: the hand-off row, the conversation's mode, the queued call. */
  begin(input: { conversation: ConversationRecord; contact: Contact; intent: Intent; destination: ExternalDestination; language: BotLanguage }, events: DomainEvent[]): void;
  /** Inside the engine's transaction: a user message for the external agent. */
  userMessage(conversation: ConversationRecord, message: Message): void;
}
