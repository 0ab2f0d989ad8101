import type { EventBus } from '../events/domain-events.ts';
import type { FanoutBus, FanoutPoke } from './fanout-bus.ts';

type Look = () => void;

/**
 * The web chat streams' pokes across instances. A message stored for a web chat visitor is
 * published with the visitor's id; the instance that stored it delivers it to its own streams
 * straight from the domain event, so only the other instances' pokes (and catch-ups) make a
 * stream look in the database for messages it has not sent yet.
 */
export class WebchatPokes {
  private readonly looks = new Map<string, Set<Look>>();

  constructor(events: EventBus, bus: FanoutBus) {
    events.on('message.created', ({ channel, externalId }) => {
      if (channel === 'webchat') bus.publish('webchat', externalId);
    });
    bus.subscribe('webchat', (poke) => this.heard(poke));
  }

  /** `look` runs when another instance stored a message for this visitor, or when pokes may have been missed. */
  onElsewhere(visitorId: string, look: Look): () => void {
    let set = this.looks.get(visitorId);
    if (!set) {
      set = new Set();
      this.looks.set(visitorId, set);
    }
    set.add(look);
    return () => {
      set.delete(look);
      if (set.size === 0 && this.looks.get(visitorId) === set) this.looks.delete(visitorId);
    };
  }

  private heard(poke: FanoutPoke): void {
    switch (poke.kind) {
      case 'published':
        if (poke.origin === 'elsewhere') this.run(this.looks.get(poke.payload));
        return;
      case 'catch-up':
        for (const set of this.looks.values()) this.run(set);
        return;
      default:
        poke satisfies never;
    }
  }

  private run(set: Set<Look> | undefined): void {
    for (const look of [...(set ?? [])]) look();
  }
}
