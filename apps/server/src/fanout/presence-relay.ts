import { PresenceBeat } from '@desk/core';
import { z } from 'zod';
import type { PresenceHub } from '../presence/presence-hub.ts';
import type { FanoutBus, FanoutPoke } from './fanout-bus.ts';

const RelayedBeat = PresenceBeat.extend({ agentId: z.string().min(1), name: z.string() });

/**
 * Presence across instances. A beat taken here goes to this instance's hub and out on the bus; the
 * other instances hold it in theirs, with the same time to live from when they heard it, so an
 * agent syncing through one instance sees who has a ticket open through another. Nothing is
 * caught up after the bus was down: agents beat every 15 s, and a missed leave expires by itself.
 */
export class PresenceRelay {
  constructor(
    private readonly hub: PresenceHub,
    private readonly bus: FanoutBus,
  ) {
    bus.subscribe('presence', (poke) => this.heard(poke));
  }

  beat(agent: { id: string; name: string }, beat: PresenceBeat): void {
    this.hub.beat(agent, beat);
    this.bus.publish('presence', JSON.stringify({ agentId: agent.id, name: agent.name, ticketId: beat.ticketId, typing: beat.typing }));
  }

  private heard(poke: FanoutPoke): void {
    switch (poke.kind) {
      case 'published': {
        if (poke.origin === 'here') return;
        const relayed = RelayedBeat.safeParse(safeJson(poke.payload));
        if (!relayed.success) {
          console.error('[desk] an unreadable presence beat came over the fan-out bus; ignored');
          return;
        }
        const { agentId, name, ticketId, typing } = relayed.data;
        this.hub.beat({ id: agentId, name }, { ticketId, typing });
        return;
      }
      case 'catch-up':
        return;
      default:
        poke satisfies never;
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
