import type { FanoutBus, FanoutListener, FanoutTopic } from './fanout-bus.ts';
import { FanoutListeners } from './fanout-listeners.ts';

/** One instance (SQLite): a poke only has to reach the streams of this process. */
export class InProcessFanout implements FanoutBus {
  private readonly listeners = new FanoutListeners();

  publish(topic: FanoutTopic, payload: string): void {
    this.listeners.deliver(topic, { kind: 'published', payload, origin: 'here' });
  }

  subscribe(topic: FanoutTopic, listener: FanoutListener): () => void {
    return this.listeners.add(topic, listener);
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {}
}
