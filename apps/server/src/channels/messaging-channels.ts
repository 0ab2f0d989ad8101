import type { Config } from '../config.ts';
import { ContactsRepo } from '../contacts/contacts-repo.ts';
import type { InboundMessage } from '../conversations/engine.ts';
import type { MessagesRepo } from '../conversations/messages-repo.ts';
import type { OutboxWorker } from '../conversations/outbox-worker.ts';
import type { Db } from '../db/database.ts';
import type { EventBus } from '../events/domain-events.ts';
import type { MediaRepo } from '../media/media-repo.ts';
import { MediaStore } from '../media/media-store.ts';
import { UploadQuota } from '../media/upload-quota.ts';
import type { Clock } from '../shared/clock.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';
import { channelSettingsRoutes } from './channel-settings-routes.ts';
import { ChannelSettings } from './channel-settings.ts';
import type { ChannelPeers } from './inbound/channel-peers.ts';
import { ContactProfiles, type NewContact } from './inbound/contact-profiles.ts';
import type { InboxIntake } from './inbound/webhook-response.ts';
import { guardedMediaFetch } from './media/guarded-fetch.ts';
import type { FetchFn } from './media/media-download.ts';
import { MediaDownloadWorker } from './media/media-download-worker.ts';
import type { MediaJobsRepo } from './media/media-jobs-repo.ts';
import { mediaOriginPolicy } from './media/media-origins.ts';
import { UrlMediaFetcher } from './media/url-media-fetcher.ts';
import { MessagingAdapter, WhatsAppAdapter, WhatsAppMediaFetcher } from './meta/meta-adapters.ts';
import { MetaProfileSource } from './meta/meta-profiles.ts';
import { metaRoutes } from './meta/meta-routes.ts';
import { SmoochAdapter, smoochMediaFetcher } from './smooch/smooch-adapter.ts';
import { smoochRoutes } from './smooch/smooch-routes.ts';
import { TelegramAdapter, TelegramClient, TelegramMediaFetcher } from './telegram/telegram-adapter.ts';
import { telegramRoutes } from './telegram/telegram-routes.ts';

export interface MessagingChannelsDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  changes: ChangeFeed;
  messages: MessagesRepo;
  media: MediaRepo;
  outbox: OutboxWorker;
  inbox: InboxIntake;
  mediaJobs: MediaJobsRepo;
  peers: ChannelPeers;
  config: Config;
  /** Sunshine webhook events beyond user messages (switchboard releases, Zendesk agents' messages). */
  sunshineEvents?: (body: unknown) => Promise<void>;
}

/**
 * Telegram, WhatsApp, Messenger, Instagram and Sunshine Conversations: their webhooks, their
 * outbound adapters (registered with the outbox worker), their settings and the durable queue of
 * file downloads. Built once per server; `start()` resumes the downloads left by a previous run.
 */
export function createMessagingChannels(deps: MessagingChannelsDeps) {
  const { db, clock, events, config } = deps;
  const channelsConfig = config.channels;
  const settings = new ChannelSettings(db, channelsConfig);
  const { peers, mediaJobs: jobs } = deps;
  const quota = new UploadQuota(db, { globalBytes: config.mediaQuotaBytes, perAddressBytes: config.mediaQuotaPerAddressBytes });
  // Webhooks name the files' URLs: every download goes through the origin allow-list and address checks.
  let currentFetch: FetchFn = guardedMediaFetch(mediaOriginPolicy(channelsConfig));
  const fetch: FetchFn = (input, init) => currentFetch(input, init);

  const mediaWorker = new MediaDownloadWorker(
    {
      db,
      clock,
      events,
      jobs,
      media: deps.media,
      mediaStore: new MediaStore(config.mediaDir),
      messages: deps.messages,
      maxBytes: config.mediaMaxBytes,
      storageLeft: () => quota.globalLeft(),
    },
    { baseDelayMs: channelsConfig.retryBaseMs, ...(config.jobLeaseMs && { leaseMs: config.jobLeaseMs }) },
  );
  const platform = { settings, config: channelsConfig, fetch, peers };
  // Messenger and Instagram webhooks carry no name: new contacts get it from the Graph API.
  const profiles = new ContactProfiles({
    db,
    contacts: new ContactsRepo(db, deps.changes, clock),
    sources: { messenger: new MetaProfileSource('messenger', platform), instagram: new MetaProfileSource('instagram', platform) },
  });

  const telegram = new TelegramClient(platform);
  deps.outbox.register(new TelegramAdapter(telegram));
  deps.outbox.register(new WhatsAppAdapter(platform));
  deps.outbox.register(new MessagingAdapter('messenger', platform));
  deps.outbox.register(new MessagingAdapter('instagram', platform));
  deps.outbox.register(new SmoochAdapter(platform));
  mediaWorker.register('telegram', new TelegramMediaFetcher(telegram, platform));
  mediaWorker.register('whatsapp', new WhatsAppMediaFetcher(platform));
  mediaWorker.register('messenger', new UrlMediaFetcher('Messenger', platform));
  mediaWorker.register('instagram', new UrlMediaFetcher('Instagram', platform));
  mediaWorker.register('smooch', smoochMediaFetcher(platform));

  return {
    settings,
    profiles,
    mediaWorker,
    mediaJobs: jobs,
    peers,
    telegram,
    /** The webhooks: public, authenticated by each platform's secret (app.ts mounts them ahead of the rest). */
    webhookRoutes() {
      const hooks = { settings, inbox: deps.inbox };
      return [
        telegramRoutes({ ...hooks, telegram }),
        metaRoutes(hooks),
        smoochRoutes({ ...hooks, ...(deps.sunshineEvents && { events: deps.sunshineEvents }) }),
      ] as const;
    },
    /** The admin settings API. */
    routes() {
      return [channelSettingsRoutes({ settings, telegram, publicUrl: config.publicUrl })] as const;
    },
    /** Before the inbox processor stores a message: will its sender's name be looked up afterwards? */
    wantsProfile(input: InboundMessage): Promise<boolean> {
      return profiles.wantsLookup(input);
    },
    /** After the processor committed a batch: start the downloads and the name lookups it queued. */
    async afterInbound(outcome: { stored: { input: InboundMessage; contactId: string; flagged: boolean }[]; hasMedia: boolean }) {
      if (outcome.hasMedia) mediaWorker.kick();
      const lookups = new Map<string, NewContact>();
      for (const { input, contactId, flagged } of outcome.stored) {
        const contact = flagged && !lookups.has(contactId) ? await profiles.created(input, contactId) : null;
        if (contact) lookups.set(contactId, contact);
      }
      if (lookups.size > 0) profiles.schedule([...lookups.values()]);
    },
    start() {
      mediaWorker.start();
    },
    stop() {
      mediaWorker.stop();
    },
    /** Tests: route the platforms' file URLs (e.g. a fixture's https://example.org/…) to a stand-in. */
    useFetch(fn: FetchFn) {
      currentFetch = fn;
    },
  };
}
export type MessagingChannels = ReturnType<typeof createMessagingChannels>;
