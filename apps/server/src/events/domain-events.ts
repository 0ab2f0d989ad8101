import type { Message, Ticket } from '@desk/core';

/** What happened, told to listeners (SSE, web push, outbound delivery) after the commit. */
export interface DomainEvents {
  'ticket.created': { ticket: Ticket };
  'ticket.updated': { ticket: Ticket; previous: Ticket; actorId: string | null };
  'message.created': { message: Message; channel: string; externalId: string };
  'message.updated': { message: Message };
  /** An internal note: only agents hear of it (never the web chat, the channels or Zendesk). */
  'note.created': { note: Message; ticket: Ticket };
}
export type DomainEventName = keyof DomainEvents;
export type DomainEvent = { [N in DomainEventName]: { name: N; payload: DomainEvents[N] } }[DomainEventName];

type Listener<N extends DomainEventName> = (payload: DomainEvents[N]) => void;

/**
 * A tiny in-process dispatcher. Emit only after the transaction has committed, so a listener
 * never sees data that was rolled back. A failing listener is logged and never breaks the writer.
 */
export class EventBus {
  private readonly listeners = new Map<DomainEventName, Set<Listener<DomainEventName>>>();

  on<N extends DomainEventName>(name: N, listener: Listener<N>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<DomainEventName>);
    return () => set.delete(listener as Listener<DomainEventName>);
  }

  emit<N extends DomainEventName>(name: N, payload: DomainEvents[N]): void {
    for (const listener of this.listeners.get(name) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        console.error(`[desk] listener of ${name} failed`, err);
      }
    }
  }

  emitAll(events: readonly DomainEvent[]): void {
    for (const event of events) this.emit(event.name, event.payload as never);
  }
}
