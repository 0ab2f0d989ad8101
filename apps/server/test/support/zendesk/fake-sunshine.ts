import { randomBytes } from 'node:crypto';
import type { ServerType } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { loadFixture } from '../channel-fixtures.ts';
import { closeLoopback, serveOnLoopback } from './loopback.ts';
import { zendeskFixture } from './zendesk-fixtures.ts';

export interface SunshineRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
  json: any;
}

export interface SunshineMessage {
  id: string;
  received: string;
  author: Record<string, unknown>;
  content: Record<string, unknown>;
  source: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface SunshineConversation {
  id: string;
  type: 'personal';
  participants: { userExternalId?: string; userId?: string }[];
  messages: SunshineMessage[];
  /** Who has control now (`bot` = Desk's integration until it passes control). */
  active: string;
  passControl: { switchboardIntegration: string; metadata: Record<string, string> }[];
}

export interface FakeSunshineOptions {
  appId?: string;
  keyId?: string;
  keySecret?: string;
}

const hexId = () => randomBytes(12).toString('hex');
const SWITCHBOARD_INTEGRATIONS = [
  { id: '5eecde2dcdbffb08f5c3ed37', name: 'bot', integrationId: '5f11a650e4e987667c2051d1', integrationType: 'custom' },
  { id: '60a7f8c2e1d5c900d3b1f0aa', name: 'zd-agentWorkspace', integrationId: '60a7f8c2e1d5c900d3b1f0ab', integrationType: 'zd:agentWorkspace' },
];

/**
 * A fake Sunshine Conversations app with Zendesk's Agent Workspace in its switchboard: users,
 * conversations, messages, attachments and passControl as Desk calls them, Sunshine's error body
 * (`{ errors: [{ code, title }] }`), and webhooks (`X-API-Key`) for what happens on its side:
 * every posted message echoes back, agents write as `business`, releaseControl hands back.
 */
export class FakeSunshine {
  readonly requests: SunshineRequest[] = [];
  readonly users = new Map<string, { id: string; externalId: string | null; profile: Record<string, unknown> }>();
  readonly conversations = new Map<string, SunshineConversation>();
  readonly attachments = new Map<string, { name: string; type: string; size: number }>();
  /** Where the webhooks go, with the secret they carry. */
  webhook: { url: string; secret: string } | null = null;
  url = '';
  private readonly scripts: { match: (req: SunshineRequest) => boolean; status: number; body: unknown }[] = [];
  private server: ServerType | null = null;
  readonly options: Required<FakeSunshineOptions>;
  /** Echo deliveries in flight, so a test can wait for them. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(options: FakeSunshineOptions = {}) {
    this.options = { appId: '5ebee0975ac5304b664a12fa', keyId: 'app_5ebee0975ac5304b664a12fc', keySecret: 'sunshine-messaging-key-secret', ...options };
  }

  /** Listens on loopback, on `port` (the browser tests' fixed one) or a free port. */
  static async start(options: FakeSunshineOptions & { port?: number } = {}): Promise<FakeSunshine> {
    const { port = 0, ...rest } = options;
    const fake = new FakeSunshine(rest);
    ({ server: fake.server, url: fake.url } = await serveOnLoopback(fake.app().fetch, port));
    return fake;
  }

  async close(): Promise<void> {
    await this.settled();
    await closeLoopback(this.server);
  }


  /** The echo webhooks sent so far have been answered. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  failNext(match: (req: SunshineRequest) => boolean, status: number, body: unknown): void {
    this.scripts.push({ match, status, body });
  }

  received(match: (req: SunshineRequest) => boolean): SunshineRequest[] {
    return this.requests.filter(match);
  }

  /** A conversation that began on Sunshine's side (a WhatsApp user through Sunshine). */
  seedConversation(id: string, messages: SunshineMessage[] = []): SunshineConversation {
    const conversation: SunshineConversation = { id, type: 'personal', participants: [], messages, active: 'bot', passControl: [] };
    this.conversations.set(id, conversation);
    return conversation;
  }

  /** A Zendesk agent writes in the Agent Workspace: a `business` message, sent to the webhook. */
  agentSays(conversationId: string, text: string): Promise<Response> {
    const message = this.addMessage(conversationId, { type: 'business', displayName: 'Zoe Zendesk', avatarUrl: 'https://acme.zendesk.com/avatar.png' }, { type: 'text', text }, { type: 'zd:agentWorkspace' });
    return this.send(this.event('conversation:message', conversationId, { message }));
  }

  /** The agent closes the ticket: control goes back (`switchboard:releaseControl`). */
  release(conversationId: string): Promise<Response> {
    const conversation = this.conversations.get(conversationId);
    if (conversation) conversation.active = 'bot';
    return this.send(this.event('switchboard:releaseControl', conversationId, { reason: 'ticketClosed' }));
  }

  private event(type: string, conversationId: string, payload: Record<string, unknown>) {
    const template = zendeskFixture<{ app: unknown; webhook: unknown; events: { id: string; createdAt: string; payload: Record<string, unknown> }[] }>('sunshine-releasecontrol-event.json');
    const conversation = this.conversations.get(conversationId);
    const active = SWITCHBOARD_INTEGRATIONS.find((i) => i.name === conversation?.active || i.integrationType === conversation?.active);
    return {
      ...template,
      app: { id: this.options.appId },
      events: [
        {
          id: hexId(),
          createdAt: new Date().toISOString(),
          type,
          payload: { ...payload, conversation: { id: conversationId, type: 'personal', ...(type !== 'switchboard:releaseControl' && active && { activeSwitchboardIntegration: active }) } },
        },
      ],
    };
  }

  private lastSent: unknown = null;

  /** Sunshine retries a webhook it thinks failed: the same event again. */
  redeliverLast(): Promise<Response> {
    return this.send(this.lastSent);
  }

  private send(body: unknown): Promise<Response> {
    if (!this.webhook) throw new Error('No webhook target set on the fake Sunshine.');
    this.lastSent = body;
    return fetch(this.webhook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': this.webhook.secret }, body: JSON.stringify(body) });
  }

  private addMessage(conversationId: string, author: Record<string, unknown>, content: Record<string, unknown>, source: Record<string, unknown>, metadata?: Record<string, unknown>): SunshineMessage {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) throw new Error(`No conversation ${conversationId}`);
    const message: SunshineMessage = { id: hexId(), received: new Date().toISOString(), author, content, source, ...(metadata && { metadata }) };
    conversation.messages.push(message);
    return message;
  }

  private app() {
    const app = new Hono();
    const error = (c: Context, status: number, code: string, title: string) => c.json({ errors: [{ code, title }] }, status as 400);
    const basic = `Basic ${Buffer.from(`${this.options.keyId}:${this.options.keySecret}`).toString('base64')}`;

    app.use('*', async (c, next) => {
      let json: unknown = null;
      if ((c.req.header('content-type') ?? '').startsWith('application/json')) json = await c.req.raw.clone().json().catch(() => null);
      const url = new URL(c.req.url);
      const req: SunshineRequest = { method: c.req.method, path: url.pathname, query: url.searchParams, headers: c.req.raw.headers, json };
      this.requests.push(req);
      const index = this.scripts.findIndex((s) => s.match(req));
      if (index >= 0) {
        const [s] = this.scripts.splice(index, 1);
        return c.json(s?.body ?? {}, (s?.status ?? 500) as 500);
      }
      if (c.req.header('authorization') !== basic) return error(c, 401, 'unauthorized', 'Authorization header is missing or invalid');
      const appId = /^\/v2\/apps\/([^/]+)/.exec(url.pathname)?.[1];
      if (appId !== undefined && appId !== this.options.appId) return error(c, 404, 'app_not_found', 'App not found');
      await next();
    });
    app.get('/v2/apps/:appId', (c) => c.json({ app: { id: this.options.appId, displayName: 'Acme', settings: {} } }));
    app.get('/v2/apps/:appId/switchboards', (c) =>
      c.json({ switchboards: [{ id: '5ef21b86e933b7355c11c604', enabled: true, defaultSwitchboardIntegrationId: SWITCHBOARD_INTEGRATIONS[0]?.id }] }),
    );
    app.get('/v2/apps/:appId/switchboards/:id/switchboardIntegrations', (c) =>
      c.json({ switchboardIntegrations: SWITCHBOARD_INTEGRATIONS.map((i) => ({ ...i, deliverStandbyEvents: false, nextSwitchboardIntegrationId: null })) }),
    );

    app.get('/v2/apps/:appId/users/:id', (c) => {
      const id = c.req.param('id');
      const user = this.users.get(id) ?? [...this.users.values()].find((u) => u.externalId === id);
      if (!user) return error(c, 404, 'user_not_found', 'User not found');
      return c.json({ user: { ...zendeskFixture<{ user: Record<string, unknown> }>('sunshine-create-user-response.json').user, ...user } });
    });
    app.post('/v2/apps/:appId/users', async (c) => {
      const body = (await c.req.json()) as { externalId?: string; profile?: Record<string, unknown> };
      if (!body.externalId) return error(c, 400, 'bad_request', 'externalId is required');
      if ([...this.users.values()].some((u) => u.externalId === body.externalId)) return error(c, 409, 'conflict', 'User already exists');
      const user = { id: hexId(), externalId: body.externalId, profile: body.profile ?? {} };
      this.users.set(user.id, user);
      return c.json({ user: { ...zendeskFixture<{ user: Record<string, unknown> }>('sunshine-create-user-response.json').user, ...user, signedUpAt: new Date().toISOString() } }, 201);
    });

    app.post('/v2/apps/:appId/conversations', async (c) => {
      const body = (await c.req.json()) as { type?: string; participants?: { userExternalId?: string; userId?: string }[] };
      if (body.type !== 'personal' || body.participants?.length !== 1) return error(c, 400, 'bad_request', 'A personal conversation needs exactly one participant');
      const p = body.participants[0] as { userExternalId?: string; userId?: string };
      if (![...this.users.values()].some((u) => u.externalId === p.userExternalId || u.id === p.userId)) return error(c, 404, 'user_not_found', 'User not found');
      const id = hexId();
      this.conversations.set(id, { id, type: 'personal', participants: [p], messages: [], active: 'bot', passControl: [] });
      const template = zendeskFixture<{ conversation: Record<string, unknown> }>('sunshine-create-conversation-response.json').conversation;
      return c.json({ conversation: { ...template, id, createdAt: new Date().toISOString(), lastUpdatedAt: new Date().toISOString() } }, 201);
    });

    app.post('/v2/apps/:appId/conversations/:id/messages', async (c) => {
      const id = c.req.param('id');
      if (!this.conversations.has(id)) return error(c, 404, 'conversation_not_found', 'Conversation not found');
      const body = (await c.req.json()) as { author?: Record<string, unknown>; content?: Record<string, unknown>; metadata?: Record<string, unknown> };
      if (!body.author?.type || !body.content?.type) return error(c, 400, 'bad_request', 'author and content are required');
      if (body.content.type === 'text' && !body.content.text) return error(c, 400, 'bad_request', 'content.text is required');
      const message = this.addMessage(id, body.author, body.content, { type: 'api:conversations' }, body.metadata);
      // Sunshine sends every message to the webhooks too, Desk's own included.
      if (this.webhook) {
        const echo = this.send(this.event('conversation:message', id, { message })).catch(() => null);
        this.pending.add(echo);
        void echo.finally(() => this.pending.delete(echo));
      }
      const template = loadFixture<{ messages: Record<string, unknown>[] }>('smooch-post-message-response.json').body.messages[0];
      return c.json({ messages: [{ ...template, ...message }] }, 201);
    });

    app.post('/v2/apps/:appId/conversations/:id/passControl', async (c) => {
      const conversation = this.conversations.get(c.req.param('id'));
      if (!conversation) return error(c, 404, 'conversation_not_found', 'Conversation not found');
      const body = (await c.req.json()) as { switchboardIntegration?: string; metadata?: Record<string, unknown> };
      const target = SWITCHBOARD_INTEGRATIONS.find((i) => [i.id, i.name, i.integrationType].includes(String(body.switchboardIntegration)));
      if (!target) return error(c, 404, 'switchboard_integration_not_found', 'Switchboard integration not found');
      const metadata = body.metadata ?? {};
      if (Object.values(metadata).some((v) => typeof v === 'object' && v !== null)) return error(c, 400, 'bad_request', 'metadata values must be flat');
      conversation.active = target.name;
      conversation.passControl.push({ switchboardIntegration: String(body.switchboardIntegration), metadata: metadata as Record<string, string> });
      return c.json({}, 200);
    });

    app.post('/v2/apps/:appId/attachments', async (c) => {
      const form = await c.req.formData();
      const source = form.get('source');
      if (!(source instanceof File)) return error(c, 400, 'bad_request', 'source is required');
      const key = hexId();
      this.attachments.set(key, { name: source.name, type: source.type, size: source.size });
      return c.json({ attachment: { mediaUrl: `https://media.smooch.io/apps/${this.options.appId}/${key}/${encodeURIComponent(source.name)}`, mediaType: source.type } }, 201);
    });

    app.all('*', (c) => error(c, 404, 'not_found', 'Not found'));
    return app;
  }
}
