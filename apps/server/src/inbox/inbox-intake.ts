import type { Clock } from '../shared/clock.ts';
import type { InboxRepo, InboxSource } from './inbox-repo.ts';

/**
 * A webhook's one write: the raw event into the inbox (once per source and platform event id),
 * then a nudge to the processor, which runs after the answer has gone out.
 */
export class InboxIntake {
  constructor(
    private readonly deps: { inbox: InboxRepo; clock: Clock; arrived: () => void },
  ) {}

  /** `added` is false for a redelivery of an event already received. */
  async accept(source: InboxSource, eventId: string, payload: string): Promise<{ added: boolean; receivedAt: string }> {
    const receivedAt = this.deps.clock();
    const added = await this.deps.inbox.insert(source, eventId, payload, receivedAt);
    if (added) this.deps.arrived();
    return { added, receivedAt };
  }

  /** A row is pending again (an admin's retry): the processor, wherever it runs, looks at the inbox. */
  nudge(): void {
    this.deps.arrived();
  }
}
