import type { FanoutListener, FanoutPoke, FanoutTopic } from './fanout-bus.ts';

/** The subscribers of one instance, by topic; a listener that throws doesn't stop the others. */
export class FanoutListeners {
  private readonly byTopic = new Map<FanoutTopic, Set<FanoutListener>>();

  add(topic: FanoutTopic, listener: FanoutListener): () => void {
    let set = this.byTopic.get(topic);
    if (!set) {
      set = new Set();
      this.byTopic.set(topic, set);
    }
    set.add(listener);
    return () => void set.delete(listener);
  }

  deliver(topic: FanoutTopic, poke: FanoutPoke): void {
    for (const listener of [...(this.byTopic.get(topic) ?? [])]) {
      try {
        listener(poke);
      } catch (error) {
        console.error(`[desk] a ${topic} fan-out listener failed`, error);
      }
    }
  }

  deliverEverywhere(poke: FanoutPoke): void {
    for (const topic of this.byTopic.keys()) this.deliver(topic, poke);
  }
}
