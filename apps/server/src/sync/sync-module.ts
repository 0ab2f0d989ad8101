import type { DomainEvent } from '../events/domain-events.ts';
import type { Services } from '../services.ts';
import { SyncPull } from './pull.ts';
import { SyncPush } from './push.ts';
import { createServerMutators, type SyncDomain } from './server-mutators.ts';
import { SyncSnapshot } from './snapshot.ts';
import { snapshotRoutes } from './snapshot-routes.ts';
import { type SyncDeps, syncRoutes } from './sync-routes.ts';

/**
 * Builds the sync service from the domains: the mutators call the ticket service, the
 * conversation engine and the contacts repository inside the push transaction, and their
 * domain events go out after it commits.
 */
export function createSync(
  services: Services,
  options: Pick<SyncDeps, 'heartbeatMs' | 'streamsPerAgent' | 'streamsPerAddress' | 'trackStream' | 'pokes'> = {},
) {
  const { db, changes, tickets, ticketService, engine, contacts, events } = services;
  const emitAfterCommit = (list: DomainEvent[], afterCommit: (effect: () => void) => void) => afterCommit(() => events.emitAll(list));
  const domain: SyncDomain = {
    getTicket: (id) => tickets.get(id),
    changeTicket: async (id, change, actorAgentId, ctx) => {
      const list: DomainEvent[] = [];
      await ticketService.changeTicketInTransaction(id, change, actorAgentId, list);
      emitAfterCommit(list, ctx.afterCommit);
    },
    reply: async (input, ctx) => {
      const list: DomainEvent[] = [];
      await engine.replyInTransaction(input, list);
      emitAfterCommit(list, ctx.afterCommit);
    },
    createContact: async (input) => void (await contacts.create(input)),
    updateContact: async (id, changesOf) => void (await contacts.update(id, changesOf)),
    contactExists: async (id) => (await contacts.get(id, { includeDeleted: true })) !== null,
    phoneTaken: async (phone, exceptId) => {
      const holder = await contacts.findByPhone(phone);
      return holder !== null && holder.id !== exceptId;
    },
  };
  const pull = new SyncPull(db);
  const push = new SyncPush(db, createServerMutators(db, changes, domain));
  const snapshot = new SyncSnapshot(db, pull);
  return {
    pull,
    push,
    routes: () => {
      const router = syncRoutes({ changes, pull, push, sessions: services.sessions, ...options });
      router.route('/', snapshotRoutes(snapshot));
      return router;
    },
  };
}
export type Sync = ReturnType<typeof createSync>;
