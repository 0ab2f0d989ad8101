import type { Intent } from '@desk/core';
import { AgentsRepo } from './accounts/agents-repo.ts';
import { LoginThrottle } from './accounts/login-throttle.ts';
import { PasswordTokens } from './accounts/password-tokens.ts';
import { Sessions } from './accounts/sessions.ts';
import { ChannelPeers } from './channels/inbound/channel-peers.ts';
import { decodeInboxEvent } from './channels/inbound/inbox-events.ts';
import { MediaJobsRepo } from './channels/media/media-jobs-repo.ts';
import { createMessagingChannels } from './channels/messaging-channels.ts';
import type { Config } from './config.ts';
import { ContactsRepo } from './contacts/contacts-repo.ts';
import { Nlu } from './conversations/bot/nlu.ts';
import { IntentChecks } from './intents/intent-checks.ts';
import { conversationClock } from './conversations/conversation-clock.ts';
import { ConversationsRepo } from './conversations/conversations-repo.ts';
import { ConversationEngine } from './conversations/engine.ts';
import { MessagesRepo } from './conversations/messages-repo.ts';
import { OutboxRepo } from './conversations/outbox-repo.ts';
import { OutboxWorker } from './conversations/outbox-worker.ts';
import type { Db } from './db/database.ts';
import { EventBus } from './events/domain-events.ts';
import type { FanoutBus } from './fanout/fanout-bus.ts';
import { InProcessFanout } from './fanout/in-process-fanout.ts';
import { SyncPokes } from './fanout/sync-pokes.ts';
import { WebchatPokes } from './fanout/webchat-pokes.ts';
import { InboxIntake } from './inbox/inbox-intake.ts';
import { releaseLeasesOfDeadProcess } from './jobs/job-lease.ts';
import { LeaderLease } from './jobs/leader-lease.ts';
import { coalescedPerTick } from './shared/coalesced-per-tick.ts';
import { InboxProcessor } from './inbox/inbox-processor.ts';
import type { ProcessorShare } from './inbox/loop-share.ts';
import type { InboxWriter } from './inbox/inbox-writer.ts';
import { SettingsPokes } from './fanout/settings-pokes.ts';
import { InboxRepo } from './inbox/inbox-repo.ts';
import { IntentsRepo } from './intents/intents-repo.ts';
import { DeskIntegrationRepo } from './integrations/desk-integration-repo.ts';
import { createZendesk } from './integrations/zendesk/zendesk-module.ts';
import { MediaRepo } from './media/media-repo.ts';
import { MediaStore } from './media/media-store.ts';
import { UploadQuota } from './media/upload-quota.ts';
import { MediaRetention } from './media/media-retention.ts';
import { WebchatVisitors } from './channels/webchat/webchat-visitors.ts';
import { DeskMetrics } from './metrics/desk-metrics.ts';
import { wallClock } from './shared/clock.ts';
import { databaseTime } from './shared/database-time.ts';
import { PushNotifier } from './push/push-notifier.ts';
import { PushSubscriptionsRepo } from './push/push-subscriptions-repo.ts';
import { loadVapidKeys } from './push/vapid-keys.ts';
import { ChangeFeed } from './sync/change-feed.ts';
import { TicketService } from './tickets/ticket-service.ts';
import { TicketsRepo } from './tickets/tickets-repo.ts';
import { ReportRecorder } from './reports/report-recorder.ts';
import { ReportZone } from './reports/report-zone.ts';
import { MissesRepo } from './bot-misses/misses-repo.ts';
import { MissesRetention } from './bot-misses/misses-retention.ts';
import { TestClock } from './testing/test-clock.ts';

export interface ServicesOptions {
  /**
   * SQLite: whatever a previous (killed) run had claimed is due again at once (default). Not in the
   * processing thread, which starts while the request thread's own claims may be under way.
   */
  releaseDeadLeases?: boolean;
  /** How the inbox processor gives way to the acknowledgements (default: on this event loop). */
  processorShare?: ProcessorShare;
  /** SQLite shared with the processing thread: the webhooks' inserts take their own connection. */
  inboxWriter?: InboxWriter;
  /** SQLite with the processing thread: the inbox's own file (inbox/inbox-file.ts); default the database itself. */
  inboxStore?: Db;
}

/**
 * Everything the routes need, built once per server from the database and the config. `fanout`
 * carries the streams' pokes to the other instances (see fanout/select-fanout.ts); in-process by default.
 */
export async function createServices(db: Db, config: Config, fanout: FanoutBus = new InProcessFanout(), options: ServicesOptions = {}) {
  if (options.releaseDeadLeases !== false) await releaseLeasesOfDeadProcess(db);
  // Test-only: browser tests stamp traffic on past days (testing/test-clock.ts).
  const testClock = config.testClock ? new TestClock() : null;
  // Wall time (PostgreSQL: the database's, so the instances' leases agree); strictly increasing only
  // within a conversation (conversations/conversation-clock.ts). The test clock orders everything.
  const now = await databaseTime(db);
  const clock = testClock ? testClock.clock : wallClock(now);
  const inConversation = testClock ? testClock.clock : conversationClock(now);
  const changes = new ChangeFeed(db);
  const events = new EventBus();
  const agents = new AgentsRepo(db, changes);
  const contacts = new ContactsRepo(db, changes, clock);
  const conversations = new ConversationsRepo(db, clock);
  const messages = new MessagesRepo(db, changes, inConversation);
  const tickets = new TicketsRepo(db, changes, clock, inConversation);
  const intents = new IntentsRepo(db, changes, clock);
  const integration = new DeskIntegrationRepo(db, changes);
  const media = new MediaRepo(db);
  const outboxRepo = new OutboxRepo(db);
  const inboxRepo = new InboxRepo(db, options.inboxWriter ?? null, options.inboxStore ?? db);
  const mediaJobs = new MediaJobsRepo(db);
  const peers = new ChannelPeers(db);
  const metrics = new DeskMetrics({ inboxDepth: () => inboxRepo.depth(), outboxByChannel: () => outboxRepo.countsByChannel() });
  const nlu = new Nlu({ threshold: config.botThreshold });
  const intentChecks = new IntentChecks(nlu);
  // The Intents page's warnings are checked again after every retraining.
  const retrainBot = (list: Intent[]) => {
    const trained = nlu.train(list);
    intentChecks.changed(list);
    return trained;
  };
  // What the Reports page and the misses inbox read, written as the engine and the tickets change.
  const reportZone = new ReportZone(db);
  const reports = new ReportRecorder(db, reportZone);
  reports.listen(events);
  const misses = new MissesRepo(db);
  const engine = new ConversationEngine({
    db, clock, reports, events, nlu, agents, contacts, conversations, messages, tickets, intents, integration, media, outbox: outboxRepo,
    downloads: mediaJobs, peers, onReading: (seconds) => metrics.nluSeconds.observe(seconds),
  });
  const ticketService = new TicketService({ db, clock, events, agents, tickets, conversations, messages, engine });
  const outbox = new OutboxWorker(
    { db, clock, events, outbox: outboxRepo, messages, conversations },
    { concurrency: config.outboxConcurrency, ...(config.jobLeaseMs && { leaseMs: config.jobLeaseMs }) },
  );
  // The other instances hear of new outbox work too: should this instance die with the messages
  // claimed, theirs then know to take them over when the leases run out (see jobs/job-lease.ts).
  const announceOutboxWork = coalescedPerTick(() => fanout.publish('jobs', 'outbox'));
  events.on('message.created', ({ message }) => {
    if (message.delivery?.state !== 'pending') return;
    outbox.queued(message.id);
    announceOutboxWork();
  });
  const mediaStore = new MediaStore(config.mediaDir);
  // Zendesk Support and Zendesk messaging hand-offs (the engine asks them where an intent goes).
  const zendesk = createZendesk({
    db, clock, conversationClock: inConversation, events, config: config.zendesk, publicUrl: config.publicUrl, conversations, messages, contacts, mediaStore, engine,
    ...(config.jobLeaseMs && { leaseMs: config.jobLeaseMs }),
  });
  // Webhook → inbox → processor → engine → outbox: the webhooks only fill the inbox; the processor
  // stores its events in batches through the engine, whose outbound messages the outbox delivers.
  const inboxProcessor = new InboxProcessor({
    db, clock, events, engine, messages, inbox: inboxRepo,
    // One instance at a time takes batches (conversations stay in order); another takes over if it dies.
    lease: new LeaderLease(db, 'inbox-processor', config.jobLeaseMs ?? 15_000, undefined, now),
    decode: decodeInboxEvent,
    beforeStore: (input) => channels.wantsProfile(input),
    afterCommit: (outcome) => channels.afterInbound(outcome),
    onBatch: ({ messages: count, setAside }) => {
      metrics.processedMessages.inc(count);
      if (setAside > 0) metrics.setAsideEvents.inc(setAside);
    },
  }, options.processorShare ? { share: options.processorShare } : {});
  // A webhook that arrives on any instance wakes the processor of the instance holding the inbox.
  const inbox = new InboxIntake({ inbox: inboxRepo, clock, arrived: () => fanout.publish('jobs', 'inbox') });
  fanout.subscribe('jobs', (poke) => {
    if (poke.kind === 'catch-up' || poke.payload === 'inbox') inboxProcessor.kick();
    if (poke.kind === 'catch-up' || (poke.payload === 'outbox' && poke.origin === 'elsewhere')) outbox.kick();
  });
  // Telegram, WhatsApp, Messenger, Instagram, Sunshine: webhooks, outbound adapters, file downloads.
  const channels = createMessagingChannels({
    db, clock, events, changes, messages, media, outbox, inbox, mediaJobs, peers, config, sunshineEvents: (body) => zendesk.handOffs.sunshineEvents(body),
  });
  // Settings every webhook reads are kept in memory (see ChannelSettings.load).
  await channels.settings.load();
  await zendesk.settings.load();
  // Training runs off the main thread; the intents are read first so `nlu.whenIdle()` sees it under way.
  void retrainBot(await intents.list());
  // What this instance keeps in memory of the admins' settings follows the other instances' (and threads') writes.
  const settingsPokes = new SettingsPokes(fanout, {
    channels: () => channels.settings.load(),
    zendesk: () => zendesk.settings.load(),
    'report-zone': () => void reportZone.forget(),
    intents: async () => {
      intents.forget();
      return retrainBot(await intents.list());
    },
    'desk-integration': () => void integration.forget(),
  });
  channels.settings.onChange(() => settingsPokes.changed('channels'));
  zendesk.settings.onChange(() => settingsPokes.changed('zendesk'));
  reportZone.onChange(() => settingsPokes.changed('report-zone'));
  integration.onChange(() => settingsPokes.changed('desk-integration'));
  const pushSubscriptions = new PushSubscriptionsRepo(db);
  const vapid = await loadVapidKeys(db, { publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey });
  const push = new PushNotifier({
    db, events, agents, tickets, subscriptions: pushSubscriptions, vapid, subject: config.vapidSubject, insecureTls: config.pushInsecureTls,
  });

  const mediaRetention = config.mediaRetentionDays
    ? new MediaRetention({ db, events, mediaStore, messages, days: config.mediaRetentionDays })
    : null;

  return {
    db,
    config,
    fanout,
    /** The sync streams' pokes: this instance's commits and, through the bus, the other instances'. */
    syncPokes: new SyncPokes(changes, fanout),
    /** The web chat streams' pokes from the other instances. */
    webchatPokes: new WebchatPokes(events, fanout),
    clock,
    /** Null unless DESK_TEST_CLOCK=1. */
    testClock,
    changes,
    events,
    agents,
    contacts,
    conversations,
    messages,
    tickets,
    intents,
    integration,
    media,
    mediaStore,
    zendesk,
    misses,
    /** The workspace time zone the daily roll-ups are counted in. */
    reportZone,
    /** Records what reports and the misses inbox read. */
    reports,
    /** Deletes misses older than the retention setting; started by main.ts. */
    missesRetention: new MissesRetention({ db, misses }),
    /** Off unless MEDIA_RETENTION_DAYS is set. */
    mediaRetention,
    nlu,
    intentChecks,
    engine,
    ticketService,
    outbox,
    inbox,
    inboxRepo,
    inboxProcessor,
    metrics,
    channels,
    pushSubscriptions,
    vapidPublicKey: vapid.publicKey,
    push,
    /** Retrains the bot after intents changed; requests keep using the previous model meanwhile. */
    retrainBot: async () => {
      const trained = retrainBot(await intents.list());
      settingsPokes.changed('intents');
      return trained;
    },
    /** Starts retraining and answers once the intents are read (`nlu.whenIdle()` then waits for the model). */
    startRetrainBot: async () => {
      const list = await intents.list();
      retrainBot(list).catch((err) => console.error('[desk] training the bot failed', err));
      settingsPokes.changed('intents');
    },
    sessions: new Sessions(db, config.sessionDays),
    passwordTokens: new PasswordTokens(db),
    throttle: new LoginThrottle(db),
    visitors: new WebchatVisitors(db),
    uploadQuota: new UploadQuota(db, { globalBytes: config.mediaQuotaBytes, perAddressBytes: config.mediaQuotaPerAddressBytes }),
  };
}
export type Services = Awaited<ReturnType<typeof createServices>>;
