import { removeTestData } from './test-db.ts';
import type { AddressInfo } from 'node:net';
import type { Message, Ticket } from '@desk/core';
import { type ServerType, serve } from '@hono/node-server';
import { createApp } from '../../src/app.ts';
import { metaSignatureOf } from '../../src/channels/webhook-auth.ts';
import type { Services } from '../../src/services.ts';
import { openTestServices, requestFor, sampleIntents, signedInMember } from './desk-fixture.ts';
import { rawNumber, rawRow } from './raw-sql.ts';
import type { StandIn } from './platform-stand-ins.ts';

export const TELEGRAM_TOKEN = '123456:TEST-token-for-desk';
export const TELEGRAM_SECRET = 'telegram_webhook_secret-1';
export const META_APP_SECRET = 'test_app_secret';
export const META_VERIFY_TOKEN = 'meatyhamhock';
export const WHATSAPP_PHONE_NUMBER_ID = '106540352242922';
export const WHATSAPP_TOKEN = 'EAAG-whatsapp-access-token';
export const PAGE_TOKEN = 'EAAG-messenger-page-token';
export const INSTAGRAM_TOKEN = 'IGQ-instagram-access-token';
export const SMOOCH_APP_ID = '5ebee0975ac5304b664a12fa';
export const SMOOCH_KEY_ID = 'app_5ebee0975ac5304b664a12fb';
export const SMOOCH_KEY_SECRET = 'smooch-key-secret-value';
export const SMOOCH_WEBHOOK_SECRET = 'smooch-webhook-secret-value';

export interface StandIns {
  telegram?: StandIn;
  graph?: StandIn;
  smooch?: StandIn;
}

/** Every channel configured through the environment, pointed at the stand-ins. */
export function channelEnv(standIns: StandIns): Record<string, string> {
  return {
    ...(standIns.telegram && { TELEGRAM_API_URL: standIns.telegram.url }),
    ...(standIns.graph && { META_GRAPH_URL: standIns.graph.url }),
    ...(standIns.smooch && { SMOOCH_API_URL: standIns.smooch.url }),
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    META_APP_SECRET,
    META_VERIFY_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_ACCESS_TOKEN: WHATSAPP_TOKEN,
    MESSENGER_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
    INSTAGRAM_ACCESS_TOKEN: INSTAGRAM_TOKEN,
    SMOOCH_APP_ID,
    SMOOCH_KEY_ID,
    SMOOCH_KEY_SECRET,
    SMOOCH_WEBHOOK_SECRET,
    CHANNEL_RETRY_BASE_MS: '50',
    CHANNEL_REQUEST_TIMEOUT_MS: '3000',
  };
}

export interface ChannelDesk {
  services: Services;
  app: ReturnType<typeof createApp>;
  dataDir: string;
  /** Set when started with `http: true`: Desk listening on loopback. */
  url: string | null;
  admin: { id: string; token: string };
  agent: { id: string; token: string };
  request(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>;
  /** Posts a raw body to a webhook, with the given headers. */
  webhook(path: string, body: string, headers?: Record<string, string>): Promise<Response>;
  count(sql: string, ...params: unknown[]): Promise<number>;
  messagesOf(channel: string, externalId: string): Promise<Message[]>;
  ticketOf(channel: string, externalId: string): Promise<Ticket | null>;
  /**
   * Runs the outbox (joining a run already going) until a run finds nothing due. Afterwards nothing
   * more goes out by itself, except retries scheduled for later: assert "no (second) send" after this.
   */
  drainOutbox(): Promise<void>;
  /** Stops the workers and closes the database, like a killed process (the files stay unless `remove`). */
  close(options?: { remove?: boolean }): Promise<void>;
}

export interface ChannelDeskOptions {
  env?: Record<string, string>;
  /** Reuse the data of an earlier (closed) desk: a restart. */
  dataDir?: string;
  http?: boolean;
  /** Start the outbox and download workers (default true). */
  workers?: boolean;
  intents?: boolean;
}

/** A Desk on a real SQLite file with the sample intents, an admin and an agent. */
export async function startChannelDesk(options: ChannelDeskOptions = {}): Promise<ChannelDesk> {
  const { dataDir, db, services } = await openTestServices({
    env: { PUBLIC_URL: 'https://desk.example.test', ...options.env },
    ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
    prefix: 'desk-channels-',
  });
  const admin = await signedInMember(services, 'Carla Admin', 'carla@test.local', 'admin');
  const agent = await signedInMember(services, 'Ana Agent', 'ana@test.local', 'agent');
  if (options.intents !== false && (await services.intents.list()).length === 0) {
    for (const input of sampleIntents()) await services.intents.create(input);
  }
  await services.retrainBot();
  const app = createApp(services);
  let server: ServerType | null = null;
  let url: string | null = null;
  if (options.http) {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  if (options.workers !== false) {
    services.inboxProcessor.start();
    services.outbox.start();
    services.channels.start();
    services.zendesk.start();
  }
  const request: ChannelDesk['request'] = requestFor(app, agent.token, services);
  let closed = false;
  return {
    services,
    app,
    dataDir,
    url,
    admin,
    agent,
    request,
    webhook(path, body, headers = {}) {
      return request(path, { method: 'POST', token: null, body, headers: { 'content-type': 'application/json', ...headers } });
    },
    count(sql, ...params) {
      return rawNumber(db, sql, ...params);
    },
    async messagesOf(channel, externalId) {
      const conversation = await services.conversations.findByIdentity(channel as never, externalId);
      return conversation ? services.messages.listByConversation(conversation.id) : [];
    },
    async ticketOf(channel, externalId) {
      const row = await rawRow<{ id: string }>(
        db,
        'SELECT t.id FROM tickets t JOIN conversations c ON c.id = t.conversation_id WHERE c.channel = ? AND c.external_id = ? ORDER BY t.number DESC',
        channel,
        externalId,
      );
      return row ? services.tickets.get(row.id) : null;
    },
    async drainOutbox() {
      await services.inboxProcessor.drain();
      for (let runs = 0; (await services.outbox.runDue()) > 0; runs++) {
        // A run handled something: look again until one finds nothing due.
        if (runs >= 50) throw new Error('The outbox keeps finding rows due: it never drains.');
      }
    },
    async close({ remove = false } = {}) {
      if (!closed) await shutdown();
      if (remove) {
        await removeTestData(dataDir);
      }
    },
  };

  async function shutdown() {
      closed = true;
      services.inboxProcessor.stop();
      await services.inboxProcessor.idle();
      services.outbox.stop();
      services.channels.stop();
      services.zendesk.stop();
      await services.zendesk.idle();
      // Let a run that was already kicked finish before the database goes away.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.workers !== false) await services.outbox.runDue();
      await services.channels.mediaWorker.idle();
      if (server) {
        const s = server;
        if ('closeAllConnections' in s) s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      await services.push.flush();
      await db.close();
  }
}

export const signMeta = (body: string, secret = META_APP_SECRET) => ({ 'x-hub-signature-256': metaSignatureOf(body, secret) });
export const telegramSecret = (secret = TELEGRAM_SECRET) => ({ 'x-telegram-bot-api-secret-token': secret });
export const smoochSecret = (secret = SMOOCH_WEBHOOK_SECRET) => ({ 'x-api-key': secret });

/** Polls until `check` answers something truthy (workers run after the webhook's answer). */
export async function eventually<T>(check: () => T | Promise<T>, what = 'condition', timeoutMs = 8000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
