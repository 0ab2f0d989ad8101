import type { ContactsRepo } from '../../contacts/contacts-repo.ts';
import type { ConversationsRepo } from '../../conversations/conversations-repo.ts';
import type { ConversationEngine } from '../../conversations/engine.ts';
import type { MessagesRepo } from '../../conversations/messages-repo.ts';
import type { Db } from '../../db/database.ts';
import type { EventBus } from '../../events/domain-events.ts';
import type { MediaStore } from '../../media/media-store.ts';
import type { ConversationClock } from '../../conversations/conversation-clock.ts';
import type { Clock } from '../../shared/clock.ts';
import { HandOffsRepo } from './handoffs-repo.ts';
import { SunshineClient } from './sunshine-client.ts';
import { ZendeskClient } from './zendesk-client.ts';
import type { ZendeskConfig } from './zendesk-config.ts';
import { ZendeskHandOffs } from './zendesk-handoffs.ts';
import { zendeskRoutes } from './zendesk-routes.ts';
import { ZendeskSettings } from './zendesk-settings.ts';

export interface ZendeskModuleDeps {
  db: Db;
  clock: Clock;
  conversationClock: ConversationClock;
  events: EventBus;
  config: ZendeskConfig;
  publicUrl: string;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  contacts: ContactsRepo;
  mediaStore: MediaStore;
  engine: ConversationEngine;
  /** JOB_LEASE_MS, when set (see jobs/job-lease.ts). */
  leaseMs?: number;
}

/** Zendesk Support and Zendesk messaging: settings, clients, the hand-off jobs and the routes. */
export function createZendesk(deps: ZendeskModuleDeps) {
  const settings = new ZendeskSettings(deps.db, deps.config);
  const repo = new HandOffsRepo(deps.db);
  const zendesk = new ZendeskClient(() => settings.support(), deps.config.requestTimeoutMs);
  const sunshine = new SunshineClient(() => settings.messaging(), deps.config.requestTimeoutMs);
  const handOffs = new ZendeskHandOffs({ ...deps, settings, repo, zendesk, sunshine });
  deps.engine.useExternalHandOffs(handOffs);
  return {
    settings,
    handOffs,
    repo,
    routes: () => zendeskRoutes({ settings, handOffs, repo, zendesk, sunshine, config: deps.config, publicUrl: deps.publicUrl, clock: deps.clock }),
    start: () => handOffs.worker.start(),
    stop: () => handOffs.worker.stop(),
    idle: () => handOffs.worker.idle(),
  };
}
export type Zendesk = ReturnType<typeof createZendesk>;
