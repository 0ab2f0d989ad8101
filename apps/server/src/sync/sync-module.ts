import { mentionedAgents } from '@desk/core';
import { CannedRepliesRepo } from '../canned-replies/canned-replies-repo.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import { NotesRepo } from '../notes/notes-repo.ts';
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
  options: Pick<SyncDeps, 'heartbeatMs' | 'streamsPerAgent' | 'streamsPerAddress' | 'trackStream' | 'pokes' | 'presence'> = {},
) {
  const { db, changes, tickets, ticketService, engine, contacts, events, messages, agents } = services;
  const notes = new NotesRepo(db, changes);
  const cannedReplies = new CannedRepliesRepo(db, changes);
  const emitAfterCommit = (list: DomainEvent[], afterCommit: (effect: () => void) => void) => afterCommit(() => events.emitAll(list));
  const domain: SyncDomain = {
    getTicket: (id) => tickets.get(id),
    changeTicket: async (ticket, change, actorAgentId, ctx) => {
      const list: DomainEvent[] = [];
      await ticketService.changeTicketInTransaction(ticket.id, change, actorAgentId, list, ticket);
      emitAfterCommit(list, ctx.afterCommit);
    },
    reply: async ({ ticket, ...input }, ctx) => {
      const list: DomainEvent[] = [];
      await engine.replyInTransaction({ ...input, ticketId: ticket.id, ticket }, list);
      emitAfterCommit(list, ctx.afterCommit);
    },
    messageExists: async (id) => (await messages.get(id)) !== null || (await notes.get(id)) !== null,
    ticketMessages: (ticketId) => messages.listByTicket(ticketId),
    getNote: (id) => notes.get(id),
    addNote: async (note, ctx) => {
      await notes.insert(note);
      const ticket = await tickets.get(note.ticketId);
      if (ticket) emitAfterCommit([{ name: 'note.created', payload: { note, ticket } }], ctx.afterCommit);
    },
    mentionsOf: async (authorId) => {
      const list = await agents.list();
      return (text) => mentionedAgents(text, list, authorId);
    },
    getCannedReply: (id) => cannedReplies.get(id),
    saveCannedReply: (reply) => cannedReplies.save(reply),
    deleteCannedReply: (reply) => cannedReplies.delete(reply),
    createContact: async (input) => void (await contacts.create(input)),
    updateContact: async (id, changesOf) => void (await contacts.update(id, changesOf)),
    contactExists: async (id) => (await contacts.get(id, { includeDeleted: true })) !== null,
    phoneTaken: async (phone, exceptId) => {
      const holder = await contacts.findByPhone(phone);
      return holder !== null && holder.id !== exceptId;
    },
  };
  const pull = new SyncPull(db);
  const push = new SyncPush(db, createServerMutators(db, changes, domain), { changes });
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
