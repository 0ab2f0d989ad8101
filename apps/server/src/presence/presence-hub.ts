import { type PresenceBeat, type PresenceEntry, TYPING_TTL_MS, VIEWING_TTL_MS } from '@desk/core';

interface Held {
  name: string;
  ticketId: string;
  viewingUntil: number;
  typingUntil: number;
}

type Listener = () => void;

/**
 * Who has which ticket open and who is typing, in memory only: never in the database, the change
 * log or a device's store. A beat keeps an agent on a ticket for VIEWING_TTL_MS and "typing" for
 * TYPING_TTL_MS; past that they drop out by themselves (a closed laptop, a lost connection). One
 * entry per agent: the ticket of their latest beat. Listeners (the sync streams) hear of every
 * change, expiries included. One instance per server process; across instances the beats ride the
 * fan-out bus (fanout/presence-relay.ts).
 */
export class PresenceHub {
  private readonly held = new Map<string, Held>();
  private readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  beat(agent: { id: string; name: string }, beat: PresenceBeat): void {
    const now = this.now();
    const before = this.held.get(agent.id);
    if (beat.ticketId === null) {
      if (!before) return;
      this.held.delete(agent.id);
    } else {
      this.held.set(agent.id, {
        name: agent.name,
        ticketId: beat.ticketId,
        viewingUntil: now + VIEWING_TTL_MS,
        typingUntil: beat.typing ? now + TYPING_TTL_MS : 0,
      });
      const after = this.held.get(agent.id) as Held;
      // A repeated beat only moves the deadlines: nobody needs telling.
      const same = before && before.ticketId === after.ticketId && before.typingUntil > now === after.typingUntil > now && before.viewingUntil > now;
      if (same) {
        this.schedule();
        return;
      }
    }
    this.changed();
  }

  /** Everyone on a ticket now, typing marked. */
  entries(): PresenceEntry[] {
    const now = this.now();
    const out: PresenceEntry[] = [];
    for (const [agentId, held] of this.held) {
      if (held.viewingUntil > now) out.push({ agentId, name: held.name, ticketId: held.ticketId, typing: held.typingUntil > now });
    }
    return out;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private changed(): void {
    this.schedule();
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        console.error('[desk] presence listener failed', error);
      }
    }
  }

  /** One timer, at the next deadline: an expiry is a change the streams must hear of. */
  private schedule(): void {
    const now = this.now();
    let next = Infinity;
    for (const [agentId, held] of this.held) {
      if (held.viewingUntil <= now) {
        this.held.delete(agentId);
        continue;
      }
      next = Math.min(next, held.viewingUntil);
      if (held.typingUntil > now) next = Math.min(next, held.typingUntil);
    }
    if (next === this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = next;
    if (next === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.changed();
    }, next - now + 5);
    this.timer.unref?.();
  }
}
