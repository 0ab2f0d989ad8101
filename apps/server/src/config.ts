import { resolve } from 'node:path';
import { type ChannelsConfig, loadChannelsConfig } from './channels/channels-config.ts';
import { loadZendeskConfig, type ZendeskConfig } from './integrations/zendesk/zendesk-config.ts';
import { listFrom, trimSlash } from './env-values.ts';

/** Every setting comes from the environment with a safe default; the README lists them all. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  /** `DATABASE_URL`: a postgres:// URL selects PostgreSQL (15+); unset, SQLite in `databaseFile`. */
  databaseUrl: string | null;
  /** How long a job (a send, a download, a Zendesk call) stays claimed by an instance before another may take it. */
  jobLeaseMs: number | null;
  /** `OUTBOX_CONCURRENCY`: how many conversations are sent a reply at once (each one still one send at a time). */
  outboxConcurrency: number;
  /** Where the files users send are kept (`MEDIA_DIR`); every instance mounts the same directory. */
  mediaDir: string;
  publicUrl: string;
  adminEmail: string;
  adminPassword: string | null;
  demo: boolean;
  webDist: string;
  /** Largest file a user may send, in bytes. */
  mediaMaxBytes: number;
  /** All stored media together (507 past it). */
  mediaQuotaBytes: number;
  /** What one address may upload through the web chat in a day (429 past it). */
  mediaQuotaPerAddressBytes: number;
  /** New web chat visitors one address may start per hour (offices share an address: not too low). */
  webchatNewVisitorsPerHour: number;
  /** Media of tickets solved this many days ago is deleted; null keeps it forever. */
  mediaRetentionDays: number | null;
  /** The bot answers with an intent only from this confidence on (0..1); below, the fallback. */
  botThreshold: number;
  sessionDays: number;
  /** Secure cookies when served over https. */
  secureCookies: boolean;
  logRequests: boolean;
  /**
   * `PROCESSING_THREAD` (default on; `0` off): the inbox processor, the outbox and the other queues'
   * runners work in a thread of their own, so the webhooks' acknowledgements keep the request thread.
   */
  processingThread: boolean;
  /** On SIGTERM, how long requests in flight and jobs under way get to finish (`SHUTDOWN_GRACE_MS`). */
  shutdownGraceMs: number;
  /** Web Push (VAPID): generated and kept in the database when not given. */
  vapidPublicKey: string | null;
  vapidPrivateKey: string | null;
  vapidSubject: string;
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (`TRUST_PROXY`, comma-separated). */
  trustProxy: string[];
  /** Push service origins accepted besides the browsers' own (`PUSH_SERVICE_ORIGINS`; tests' stand-ins). */
  pushServiceOrigins: string[];
  /** Push subscriptions one agent may hold (the oldest goes first). */
  pushSubscriptionsPerAgent: number;
  /** Test-only: accept a push service with a self-signed certificate. */
  pushInsecureTls: boolean;
  /** Test-only (`DESK_TEST_CLOCK=1`): PUT /api/test/clock sets the time events are stamped with. */
  testClock: boolean;
  /** Messaging channels (Telegram, Meta, Sunshine Conversations): base URLs and credentials from the environment. */
  channels: ChannelsConfig;
  /** Bearer token a Prometheus scraper sends to GET /metrics; without it the route is off. */
  metricsToken: string | null;
  /** Zendesk Support and Zendesk messaging: API bases, credentials from the environment, limits. */
  zendesk: ZendeskConfig;
}

function numberFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`Expected a number, got "${value}"`);
  return parsed;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = numberFrom(env.PORT, 8080);
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseFile: resolve(dataDir, 'desk.sqlite'),
    databaseUrl: env.DATABASE_URL?.trim() ? env.DATABASE_URL.trim() : null,
    jobLeaseMs: env.JOB_LEASE_MS?.trim() ? numberFrom(env.JOB_LEASE_MS, 60_000) : null,
    outboxConcurrency: Math.max(1, numberFrom(env.OUTBOX_CONCURRENCY, 64)),
    mediaDir: env.MEDIA_DIR?.trim() ? resolve(env.MEDIA_DIR.trim()) : resolve(dataDir, 'media'),
    publicUrl,
    adminEmail: (env.ADMIN_EMAIL ?? 'admin@desk.local').trim().toLowerCase(),
    adminPassword: env.ADMIN_PASSWORD && env.ADMIN_PASSWORD.length > 0 ? env.ADMIN_PASSWORD : null,
    demo: env.DEMO === '1' || env.DEMO === 'true',
    webDist: resolve(env.WEB_DIST ?? new URL('../../web/dist', import.meta.url).pathname),
    mediaMaxBytes: numberFrom(env.MEDIA_MAX_BYTES, 25 * 1024 * 1024),
    mediaQuotaBytes: numberFrom(env.MEDIA_QUOTA_BYTES, 5 * 1024 ** 3),
    mediaQuotaPerAddressBytes: numberFrom(env.MEDIA_QUOTA_PER_ADDRESS_BYTES, 512 * 1024 ** 2),
    webchatNewVisitorsPerHour: numberFrom(env.WEBCHAT_NEW_VISITORS_PER_HOUR, 100),
    mediaRetentionDays: env.MEDIA_RETENTION_DAYS?.trim() ? numberFrom(env.MEDIA_RETENTION_DAYS, 0) || null : null,
    botThreshold: numberFrom(env.BOT_THRESHOLD, 0.6),
    sessionDays: numberFrom(env.SESSION_DAYS, 30),
    secureCookies: publicUrl.startsWith('https://'),
    logRequests: env.LOG_REQUESTS === '1',
    processingThread: env.PROCESSING_THREAD?.trim() !== '0',
    shutdownGraceMs: numberFrom(env.SHUTDOWN_GRACE_MS, 10_000),
    vapidPublicKey: env.VAPID_PUBLIC_KEY || null,
    vapidPrivateKey: env.VAPID_PRIVATE_KEY || null,
    vapidSubject: env.VAPID_SUBJECT ?? `mailto:${(env.ADMIN_EMAIL ?? 'admin@desk.local').trim().toLowerCase()}`,
    pushInsecureTls: env.PUSH_INSECURE_TLS_FOR_TESTS === '1',
    testClock: env.DESK_TEST_CLOCK === '1',
    trustProxy: listFrom(env.TRUST_PROXY),
    pushServiceOrigins: listFrom(env.PUSH_SERVICE_ORIGINS).map(trimSlash),
    pushSubscriptionsPerAgent: numberFrom(env.PUSH_SUBSCRIPTIONS_PER_AGENT, 10),
    channels: loadChannelsConfig(env),
    metricsToken: env.METRICS_TOKEN && env.METRICS_TOKEN.length > 0 ? env.METRICS_TOKEN : null,
    zendesk: loadZendeskConfig(env),
  };
}
