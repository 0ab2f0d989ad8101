import { Agent as HttpsAgent } from 'node:https';
import webpush from 'web-push';
import type { AgentsRepo } from '../accounts/agents-repo.ts';
import type { Db } from '../db/database.ts';
import type { DomainEvent, DomainEventName, EventBus } from '../events/domain-events.ts';
import type { TicketsRepo } from '../tickets/tickets-repo.ts';
import { mayNotify, type PushPlan, planPush } from './push-messages.ts';
import type { PushSubscriptionsRepo, StoredSubscription } from './push-subscriptions-repo.ts';
import type { VapidKeys } from './vapid-keys.ts';

export interface PushNotifierDeps {
  db: Db;
  events: EventBus;
  agents: AgentsRepo;
  tickets: TicketsRepo;
  subscriptions: PushSubscriptionsRepo;
  vapid: VapidKeys;
  subject: string;
  /** Only for tests that play the push service with a self-signed certificate. */
  insecureTls: boolean;
}

const WATCHED: DomainEventName[] = ['ticket.created', 'ticket.updated', 'message.created', 'note.created'];

/**
 * Listens to domain events (after commit) and sends Web Push notifications to the agents they
 * concern. Sending never blocks or fails the request that caused the event; a subscription the
 * push service says is gone (404/410) is forgotten.
 */
export class PushNotifier {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly agent: HttpsAgent | undefined;
  /** Events emitted since the last planning started (one commit's events arrive together). */
  private batch: DomainEvent[] | null = null;

  constructor(private readonly deps: PushNotifierDeps) {
    this.agent = deps.insecureTls ? new HttpsAgent({ rejectUnauthorized: false }) : undefined;
    for (const name of WATCHED) deps.events.on(name, (payload) => this.plan({ name, payload } as DomainEvent));
  }

  /** Resolves when every notification started so far has been sent or has failed. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * The events a commit emits together (a sync push of 100 mutations, a processor batch) are planned
   * together, once the emitting code has run: the agents and their devices are read once, not per event.
   */
  private plan(event: DomainEvent): void {
    if (this.batch) {
      this.batch.push(event);
      return;
    }
    const batch = [event];
    this.batch = batch;
    const planning = Promise.resolve()
      .then(() => {
        this.batch = null;
        return this.handle(batch);
      })
      .catch((err) => console.error('[desk] planning push notifications failed', err));
    this.track(planning);
    // It reads the database: closing it waits for this.
    this.deps.db.track(planning);
  }

  private async handle(batch: DomainEvent[]): Promise<void> {
    // Most events (every bot answer) concern no agent: no reads for them.
    const events = batch.filter(mayNotify);
    if (events.length === 0) return;
    // No device subscribed (the other thread may subscribe one at any time, so this is asked each time):
    // nobody to notify, so neither the agents nor the tickets are read (every hand-off batch did).
    if (!(await this.deps.subscriptions.any())) return;
    const agents = await this.deps.agents.list();
    const activeAgentIds = agents.filter((a) => a.active).map((a) => a.id);
    const planned: PushPlan[] = [];
    for (const event of events) {
      // planPush is pure: the one ticket it may ask about (a user message's) is read first.
      const message = event.name === 'message.created' ? event.payload.message : null;
      const ticket = message?.authorKind === 'user' && message.ticketId ? await this.deps.tickets.get(message.ticketId) : null;
      planned.push(
        ...planPush(event, {
          activeAgentIds,
          agentName: (id) => agents.find((a) => a.id === id)?.name,
          ticketOf: (m) => (m.ticketId && m.ticketId === ticket?.id ? ticket : null),
        }),
      );
    }
    const devices = await this.deps.subscriptions.forAgents([...new Set(planned.flatMap((plan) => plan.agentIds))]);
    for (const plan of planned) {
      for (const subscription of devices.filter((d) => plan.agentIds.includes(d.agentId))) {
        this.track(this.send(subscription, JSON.stringify(plan.render(subscription.lang))));
      }
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async send(subscription: StoredSubscription, payload: string): Promise<void> {
    try {
      await webpush.sendNotification(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        payload,
        {
          vapidDetails: { subject: this.deps.subject, publicKey: this.deps.vapid.publicKey, privateKey: this.deps.vapid.privateKey },
          TTL: 60 * 60,
          urgency: 'high',
          contentEncoding: 'aes128gcm',
          ...(this.agent && { agent: this.agent }),
        },
      );
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 || status === 410) await this.deps.subscriptions.remove(subscription.endpoint);
      else console.warn('[desk] push notification failed', status ?? (err as Error).message);
    }
  }
}
