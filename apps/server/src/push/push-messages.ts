import { exhaustiveSwitchError, type Message, type Ticket, type TicketStatus } from '@desk/core';
import type { DomainEvent } from '../events/domain-events.ts';

export type PushLang = 'pt-BR' | 'es' | 'en';

export interface PushNotification {
  title: string;
  body: string;
  url: string;
  /** One notification per ticket: a newer one replaces the older on the device. */
  tag: string;
}

/** Who should hear about an event, and what to tell them in each language. */
export interface PushPlan {
  agentIds: string[];
  render(lang: PushLang): PushNotification;
}

const STATUS_NAMES: Record<PushLang, Record<TicketStatus, string>> = {
  en: { new: 'New', open: 'Open', pending: 'Pending', 'on-hold': 'On hold', solved: 'Solved' },
  'pt-BR': { new: 'Novo', open: 'Aberto', pending: 'Pendente', 'on-hold': 'Em espera', solved: 'Resolvido' },
  es: { new: 'Nuevo', open: 'Abierto', pending: 'Pendiente', 'on-hold': 'En espera', solved: 'Resuelto' },
};

const TEXTS = {
  en: {
    created: (n: number) => `New ticket #${n}`,
    assigned: (n: number) => `#${n} was assigned to you`,
    status: (n: number, s: string) => `#${n} is now ${s}`,
    message: (n: number) => `New message on #${n}`,
    attachment: 'Sent a file',
    mention: (n: number, who: string) => `${who} mentioned you on #${n}`,
  },
  'pt-BR': {
    created: (n: number) => `Novo ticket #${n}`,
    assigned: (n: number) => `#${n} foi atribuído a você`,
    status: (n: number, s: string) => `#${n} agora está ${s}`,
    message: (n: number) => `Nova mensagem em #${n}`,
    attachment: 'Enviou um arquivo',
    mention: (n: number, who: string) => `${who} mencionou você em #${n}`,
  },
  es: {
    created: (n: number) => `Nuevo ticket #${n}`,
    assigned: (n: number) => `#${n} se te asignó`,
    status: (n: number, s: string) => `#${n} ahora está ${s}`,
    message: (n: number) => `Nuevo mensaje en #${n}`,
    attachment: 'Envió un archivo',
    mention: (n: number, who: string) => `${who} te mencionó en #${n}`,
  },
} satisfies Record<PushLang, unknown>;

const BODY_MAX = 140;
const clip = (text: string) => (text.length > BODY_MAX ? `${text.slice(0, BODY_MAX - 1)}…` : text);
const link = (ticket: Ticket) => ({ url: `/tickets?ticket=${encodeURIComponent(ticket.id)}`, tag: `ticket-${ticket.id}` });

/** An assigned ticket concerns its assignee; an unassigned one, every active agent. */
function audience(ticket: Ticket, activeAgentIds: readonly string[], exclude: string | null): string[] {
  const ids = ticket.assigneeId ? [ticket.assigneeId] : [...activeAgentIds];
  return ids.filter((id) => id !== exclude);
}

/**
 * Whether `planPush` can find anyone to notify of this event: most events (the bot's answers, a user
 * chatting with the bot, delivery reports) concern no agent, and the notifier skips its reads for them.
 */
export function mayNotify(event: DomainEvent): boolean {
  switch (event.name) {
    case 'message.created':
      return event.payload.message.authorKind === 'user' && event.payload.message.ticketId !== null;
    case 'message.updated':
      return false;
    case 'ticket.created':
    case 'ticket.updated':
    case 'note.created':
      return true;
    default:
      return exhaustiveSwitchError(event, 'domain event');
  }
}

/**
 * Turns a domain event into push notifications. Pure: the notifier feeds it the lookups.
 * Agents are never notified of their own actions.
 */
export function planPush(
  event: DomainEvent,
  context: { activeAgentIds: readonly string[]; ticketOf: (message: Message) => Ticket | null; agentName?: (agentId: string) => string | undefined },
): PushPlan[] {
  switch (event.name) {
    case 'ticket.created': {
      const { ticket } = event.payload;
      return [{ agentIds: audience(ticket, context.activeAgentIds, null), render: (lang) => ({ title: TEXTS[lang].created(ticket.number), body: clip(ticket.subject), ...link(ticket) }) }];
    }
    case 'ticket.updated': {
      const { ticket, previous, actorId } = event.payload;
      const plans: PushPlan[] = [];
      if (ticket.assigneeId && ticket.assigneeId !== previous.assigneeId && ticket.assigneeId !== actorId) {
        plans.push({ agentIds: [ticket.assigneeId], render: (lang) => ({ title: TEXTS[lang].assigned(ticket.number), body: clip(ticket.subject), ...link(ticket) }) });
      } else if (ticket.status !== previous.status && ticket.assigneeId && ticket.assigneeId !== actorId) {
        plans.push({
          agentIds: [ticket.assigneeId],
          render: (lang) => ({ title: TEXTS[lang].status(ticket.number, STATUS_NAMES[lang][ticket.status]), body: clip(ticket.subject), ...link(ticket) }),
        });
      }
      return plans;
    }
    case 'message.created': {
      const { message } = event.payload;
      if (message.authorKind !== 'user' || !message.ticketId) return [];
      const ticket = context.ticketOf(message);
      if (!ticket) return [];
      return [
        {
          agentIds: audience(ticket, context.activeAgentIds, null),
          render: (lang) => ({ title: TEXTS[lang].message(ticket.number), body: clip(message.text || TEXTS[lang].attachment), ...link(ticket) }),
        },
      ];
    }
    case 'message.updated':
      return [];
    case 'note.created': {
      // A mention reaches the agent even when the ticket isn't theirs; the author is never told.
      const { note, ticket } = event.payload;
      const mentioned = (note.mentions ?? []).filter((id) => id !== note.agentId && context.activeAgentIds.includes(id));
      if (mentioned.length === 0) return [];
      const who = (note.agentId && context.agentName?.(note.agentId)) || '@';
      return [{ agentIds: mentioned, render: (lang) => ({ title: TEXTS[lang].mention(ticket.number, who), body: clip(note.text), ...link(ticket) }) }];
    }
    default:
      return exhaustiveSwitchError(event, 'domain event');
  }
}
