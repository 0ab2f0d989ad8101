import { applyTicketChange, DeskError, ErrorCode, isActiveStatus, type Message, type Ticket, type TicketChange } from '@desk/core';
import type { AgentsRepo } from '../accounts/agents-repo.ts';
import { isBotLanguage } from '../conversations/bot/languages.ts';
import type { ConversationRecord, ConversationsRepo } from '../conversations/conversations-repo.ts';
import { type ConversationEngine, systemText } from '../conversations/engine.ts';
import type { MessagesRepo } from '../conversations/messages-repo.ts';
import type { Db } from '../db/database.ts';
import type { DomainEvent, EventBus } from '../events/domain-events.ts';
import type { Clock } from '../shared/clock.ts';
import type { TicketsRepo } from './tickets-repo.ts';

export interface TicketServiceDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  agents: AgentsRepo;
  tickets: TicketsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  engine: ConversationEngine;
}

/**
 * The one place a ticket's status, priority, assignee and tags change: PATCH /api/tickets/:id
 * and the sync mutations both come here. Solving hands the conversation back to the bot,
 * reopening hands it to the agents again, each with a system note in the ticket.
 */
export class TicketService {
  constructor(private readonly deps: TicketServiceDeps) {}

  async changeTicket(ticketId: string, change: TicketChange, actorAgentId: string): Promise<Ticket> {
    const events: DomainEvent[] = [];
    const ticket = await this.deps.db.transaction(() => this.changeTicketInTransaction(ticketId, change, actorAgentId, events));
    this.deps.events.emitAll(events);
    return ticket;
  }

  /**
   * The change's writes, for callers that already hold a transaction; they emit `events` after commit.
   * `read`: the ticket as the caller's transaction has just read it (`tickets.get`), to save reading it again.
   */
  async changeTicketInTransaction(ticketId: string, change: TicketChange, actorAgentId: string, events: DomainEvent[], read?: Ticket): Promise<Ticket> {
    const { tickets, conversations, agents, engine, messages } = this.deps;
    const previous = read?.id === ticketId ? read : await engine.requireTicket(ticketId);
    // Core's rules are pure: the one agent they may ask about (the new assignee) is read first.
    const assignee = change.assigneeId ?? null;
    const assigneeActive = assignee !== null && (await agents.isActive(assignee));
    const result = applyTicketChange(previous, change, { now: this.deps.clock(), isActiveAgent: (id) => id === assignee && assigneeActive });
    if (!result.ok) throw new DeskError(ErrorCode.ruleViolated, result.message, { rule: result.rule });

    const wasActive = isActiveStatus(previous.status);
    const isActive = isActiveStatus(result.value.status);
    // Only a change between active and solved touches the conversation (a priority or a tag doesn't).
    const conversation = wasActive !== isActive ? ((await conversations.get(previous.conversationId)) as ConversationRecord) : null;
    if (conversation && !wasActive && conversation.activeTicketId && conversation.activeTicketId !== ticketId) {
      const other = await tickets.get(conversation.activeTicketId);
      throw new DeskError(
        ErrorCode.conflict,
        `This conversation continues in ticket #${other?.number ?? '?'}: it can't be reopened while that one is active.`,
      );
    }
    const ticket = await tickets.save(result.value);
    events.push({ name: 'ticket.updated', payload: { ticket, previous, actorId: actorAgentId } });
    if (conversation) {
      const actorName = (await agents.get(actorAgentId))?.name ?? 'an agent';
      const language = isBotLanguage(conversation.language) ? conversation.language : 'en';
      let note: Message;
      if (wasActive) {
        if (conversation.activeTicketId === ticketId) await conversations.setMode(conversation.id, 'bot', null);
        note = await engine.appendSystem(conversation, ticketId, systemText.solved(ticket.number, actorName, language));
      } else {
        await conversations.setMode(conversation.id, 'desk', ticketId);
        note = await engine.appendSystem(conversation, ticketId, systemText.reopened(ticket.number, actorName, language));
      }
      events.push({
        name: 'message.created',
        payload: { message: (await messages.get(note.id)) ?? note, channel: conversation.channel, externalId: conversation.externalId },
      });
    }
    return ticket;
  }
}
