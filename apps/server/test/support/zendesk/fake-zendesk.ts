import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { HttpBindings, ServerType } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { closeLoopback, serveOnLoopback } from './loopback.ts';
import { zendeskFixture } from './zendesk-fixtures.ts';

/** A request Desk made, as the fake received it. */
export interface ZendeskRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
  json: any;
  bytes: Uint8Array;
}

export interface FakeComment {
  id: number;
  type: 'Comment';
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  public: boolean;
  attachments: { id: number; file_name: string; content_type: string; size: number; content_url: string; thumbnails: [] }[];
  audit_id: number;
  created_at: string;
  metadata: { system: Record<string, unknown>; via: { channel: string; source: Record<string, unknown> } };
}

export interface FakeTicket {
  // biome-ignore lint/suspicious/noExplicitAny: the ticket object is Zendesk's, with many fields
  ticket: Record<string, any>;
  comments: FakeComment[];
}

/** A scripted answer: replaces the normal one for the next matching request. */
export interface ScriptedReply {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/** `ack-then-drop`: do the work, then cut the connection; `ack-then-hang`: do the work, never answer; `hang`: never answer. */
export type ScriptMode = ScriptedReply | 'ack-then-drop' | 'ack-then-hang' | 'hang';
type Script = { match: (req: ZendeskRequest) => boolean; reply: ScriptMode; seen?: () => void };

export interface FakeZendeskOptions {
  subdomain?: string;
  oauthToken?: string;
  email?: string;
  apiToken?: string;
  /** Zendesk's per-ticket update limit: 30 in 10 minutes (tests shrink the window). */
  updatesPerWindow?: number;
  windowMs?: number;
}

const API_USER_ID = 1_000_001;
export const ZENDESK_AGENT_ID = 1_000_002;

/**
 * A fake Zendesk Support account: the endpoints Desk calls, with Zendesk's request checks,
 * response shapes and error bodies (`RecordInvalid`, "Couldn't authenticate you", the 429 text
 * body with Retry-After), idempotent ticket creation, the per-ticket update limit, and agents whose
 * comments and status changes fire the trigger's webhook, signed as Zendesk signs it.
 */
export class FakeZendesk {
  readonly requests: ZendeskRequest[] = [];
  readonly users = new Map<number, { id: number; name: string; external_id: string | null; email: string | null; phone: string | null; role: string }>();
  readonly tickets = new Map<number, FakeTicket>();
  readonly webhooks = new Map<string, { id: string; endpoint: string; secret: string; body: Record<string, unknown> }>();
  readonly triggers: { id: number; webhookId: string; template: string; tag: string | null; body: Record<string, unknown> }[] = [];
  readonly uploads = new Map<string, { name: string; contentType: string; bytes: Uint8Array }>();
  /** Every accepted ticket update (PUT), for the 30-in-10-minutes checks. */
  readonly updates: { ticketId: number; at: number }[] = [];
  /** 429s the fake answered. */
  rateLimited = 0;
  /** Where webhooks really go: Desk registers its PUBLIC_URL, tests listen elsewhere. */
  webhookOrigin: string | null = null;
  url = '';
  private readonly scripts: Script[] = [];
  private readonly idempotency = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  private nextId = 35_436;
  private server: ServerType | null = null;
  readonly options: Required<FakeZendeskOptions>;

  constructor(options: FakeZendeskOptions = {}) {
    this.options = {
      subdomain: 'acme',
      oauthToken: 'zendesk-oauth-access-token-0001',
      email: 'admin@acme.test',
      apiToken: 'zendesk-api-token-0001',
      updatesPerWindow: 30,
      windowMs: 10 * 60_000,
      ...options,
    };
    this.users.set(API_USER_ID, { id: API_USER_ID, name: 'Desk API', external_id: null, email: this.options.email, phone: null, role: 'admin' });
    this.users.set(ZENDESK_AGENT_ID, { id: ZENDESK_AGENT_ID, name: 'Zoe Zendesk', external_id: null, email: 'zoe@acme.test', phone: null, role: 'agent' });
  }

  /** Listens on loopback, on `port` (the browser tests' fixed one) or a free port. */
  static async start(options: FakeZendeskOptions & { port?: number } = {}): Promise<FakeZendesk> {
    const { port = 0, ...rest } = options;
    const fake = new FakeZendesk(rest);
    ({ server: fake.server, url: fake.url } = await serveOnLoopback(fake.app().fetch, port));
    return fake;
  }

  async close(): Promise<void> {
    await closeLoopback(this.server);
  }


  /** The next matching request gets `reply` (a status and body, or: act normally but drop the connection before answering). */
  script(match: (req: ZendeskRequest) => boolean, reply: ScriptMode): Promise<void> {
    return new Promise((resolve) => this.scripts.push({ match, reply, seen: resolve }));
  }

  received(match: (req: ZendeskRequest) => boolean): ZendeskRequest[] {
    return this.requests.filter(match);
  }

  ticketList(): FakeTicket[] {
    return [...this.tickets.values()];
  }

  /** An agent answers in Zendesk (public comment or internal note); the trigger pokes Desk. */
  async agentComment(ticketId: number, body: string, options: { public?: boolean; status?: string } = {}): Promise<Response | null> {
    const t = this.requireTicket(ticketId);
    this.addComment(t, { author_id: ZENDESK_AGENT_ID, body, public: options.public ?? true, attachments: [] });
    if (options.status) t.ticket.status = options.status;
    t.ticket.updated_at = new Date().toISOString();
    return this.fireTriggers(t);
  }

  async setStatus(ticketId: number, status: string): Promise<Response | null> {
    const t = this.requireTicket(ticketId);
    t.ticket.status = status;
    t.ticket.updated_at = new Date().toISOString();
    return this.fireTriggers(t);
  }

  /** The body the trigger would post for this ticket, and its signing secret. */
  triggerDelivery(ticketId: number): { url: string; body: string; secret: string } {
    const trigger = this.triggers.at(-1);
    if (!trigger) throw new Error('No trigger: Connect was not done.');
    const webhook = this.webhooks.get(trigger.webhookId);
    if (!webhook) throw new Error('The trigger names an unknown webhook.');
    const t = this.requireTicket(ticketId);
    const body = trigger.template.replaceAll('{{ticket.id}}', String(ticketId)).replaceAll('{{ticket.status}}', capitalize(String(t.ticket.status)));
    const endpoint = new URL(webhook.endpoint);
    const url = this.webhookOrigin ? `${this.webhookOrigin}${endpoint.pathname}${endpoint.search}` : webhook.endpoint;
    return { url, body, secret: webhook.secret };
  }

  /** Posts the webhook as Zendesk does: `X-Zendesk-Webhook-Signature` over timestamp + body. */
  async deliver(ticketId: number, sign: 'ok' | 'none' | 'stale' | 'wrong' = 'ok'): Promise<Response> {
    const { url, body, secret } = this.triggerDelivery(ticketId);
    const when = sign === 'stale' ? new Date(Date.now() - 6 * 60_000) : new Date();
    const timestamp = when.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Zendesk Webhook' };
    if (sign !== 'none') {
      const key = sign === 'wrong' ? 'not-the-signing-secret' : secret;
      headers['x-zendesk-webhook-signature'] = createHmac('sha256', key).update(timestamp + body).digest('base64');
      headers['x-zendesk-webhook-signature-timestamp'] = timestamp;
    }
    return fetch(url, { method: 'POST', headers, body });
  }

  private async fireTriggers(t: FakeTicket): Promise<Response | null> {
    const trigger = this.triggers.at(-1);
    if (!trigger || (trigger.tag && !(t.ticket.tags as string[]).includes(trigger.tag))) return null;
    return this.deliver(Number(t.ticket.id));
  }

  private requireTicket(id: number): FakeTicket {
    const t = this.tickets.get(id);
    if (!t) throw new Error(`No ticket ${id}`);
    return t;
  }

  private addComment(t: FakeTicket, c: Pick<FakeComment, 'author_id' | 'body' | 'public' | 'attachments'>): FakeComment {
    const template = zendeskFixture<{ comments: FakeComment[] }>('ticket-comments-list-response.json').comments[0] as FakeComment;
    this.nextId += 1;
    const comment: FakeComment = {
      ...template,
      id: this.nextId,
      audit_id: this.nextId + 500_000,
      author_id: c.author_id,
      body: c.body,
      html_body: `<p>${c.body}</p>`,
      plain_body: c.body,
      public: c.public,
      attachments: c.attachments,
      created_at: new Date().toISOString(),
      metadata: { system: {}, via: { channel: 'api', source: { from: {}, rel: null, to: {} } } },
    };
    t.comments.push(comment);
    return comment;
  }

  private authorised(headers: Headers): boolean {
    const auth = headers.get('authorization') ?? '';
    if (auth === `Bearer ${this.options.oauthToken}`) return true;
    const basic = Buffer.from(`${this.options.email}/token:${this.options.apiToken}`).toString('base64');
    return auth === `Basic ${basic}`;
  }

  private app() {
    const app = new Hono<{ Bindings: HttpBindings }>();
    const recordInvalid = (c: Context, description: string, details: Record<string, { type: string; description: string }[]>) =>
      c.json({ ...zendeskFixture('error-record-invalid.json'), description, details }, 422);

    app.use('*', async (c, next) => {
      const bytes = new Uint8Array(await c.req.raw.clone().arrayBuffer());
      let json: unknown = null;
      try {
        json = bytes.length ? JSON.parse(new TextDecoder().decode(bytes)) : null;
      } catch {
        json = null;
      }
      const url = new URL(c.req.url);
      const req: ZendeskRequest = { method: c.req.method, path: url.pathname.replace(/\.json$/, ''), query: url.searchParams, headers: c.req.raw.headers, json, bytes };
      this.requests.push(req);
      const index = this.scripts.findIndex((s) => s.match(req));
      const script = index >= 0 ? this.scripts.splice(index, 1)[0] : undefined;
      if (script?.reply === 'hang') {
        script.seen?.();
        return new Promise<Response>(() => {});
      }
      if (script && typeof script.reply === 'object') {
        script.seen?.();
        const r = script.reply;
        if (r.text !== undefined) return c.text(r.text, r.status as 429, r.headers);
        return c.json(r.body ?? {}, r.status as 400, r.headers);
      }
      if (!this.authorised(c.req.raw.headers)) return c.json({ error: "Couldn't authenticate you" }, 401);
      await next();
      // Zendesk did the work; the answer never reaches Desk.
      script?.seen?.();
      if (script?.reply === 'ack-then-drop') c.env.incoming.socket.destroy();
      if (script?.reply === 'ack-then-hang') return new Promise<Response>(() => {});
    });

    app.get('/api/v2/users/me', (c) => c.json({ user: this.users.get(API_USER_ID) }));

    app.post('/api/v2/users/create_or_update', async (c) => {
      const body = (await c.req.json()) as { user?: Record<string, string> };
      const u = body.user;
      if (!u?.name) return recordInvalid(c, 'Record validation errors', { name: [{ type: 'blank', description: "Name: can't be blank" }] });
      const existing = [...this.users.values()].find((x) => (u.external_id && x.external_id === u.external_id) || (u.email && x.email === u.email));
      const template = zendeskFixture<{ user: Record<string, unknown> }>('users-create-or-update-response.json').user;
      if (existing) {
        Object.assign(existing, { name: u.name, ...(u.phone && { phone: u.phone }) });
        return c.json({ user: { ...template, ...existing } }, 200);
      }
      this.nextId += 1;
      const user = { id: this.nextId, name: u.name, external_id: u.external_id ?? null, email: u.email ?? null, phone: u.phone ?? null, role: u.role ?? 'end-user' };
      this.users.set(user.id, user);
      return c.json({ user: { ...template, ...user, role_type: null, custom_role_id: null, organization_id: null } }, 201);
    });

    const createTicket = async (c: Context) => {
      const raw = await c.req.text();
      const key = c.req.header('idempotency-key');
      if (key) {
        const previous = this.idempotency.get(key);
        if (previous) {
          if (previous.fingerprint !== raw) {
            return c.json({ error: 'IdempotentRequestError', description: 'Request parameters do not match the original request for this idempotency key' }, 400);
          }
          return c.json(previous.body, previous.status as 201, { 'x-idempotency-lookup': 'hit' });
        }
      }
      const body = JSON.parse(raw) as { ticket?: Record<string, unknown> };
      const t = body.ticket ?? {};
      const comment = t.comment as { body?: string; public?: boolean } | undefined;
      if (!comment?.body) return recordInvalid(c, 'Record validation errors', { description: [{ type: 'blank', description: "Description: can't be blank" }] });
      const requesterId = Number(t.requester_id);
      if (!this.users.has(requesterId)) return recordInvalid(c, 'Record validation errors', { requester: [{ type: 'invalid', description: 'Requester: is invalid' }] });
      if (t.status && !['new', 'open', 'pending', 'hold', 'solved', 'closed'].includes(String(t.status))) {
        return recordInvalid(c, 'Record validation errors', { status: [{ type: 'invalid', description: `Status: ${t.status} is not valid` }] });
      }
      this.nextId += 1;
      const id = this.nextId;
      const template = zendeskFixture<{ ticket: Record<string, unknown> }>('tickets-create-response.json').ticket;
      const now = new Date().toISOString();
      const ticket: FakeTicket = {
        ticket: {
          ...template,
          id,
          url: `https://${this.options.subdomain}.zendesk.com/api/v2/tickets/${id}.json`,
          subject: t.subject,
          raw_subject: t.subject,
          description: comment.body,
          priority: t.priority ?? null,
          status: t.status ?? 'new',
          requester_id: requesterId,
          submitter_id: API_USER_ID,
          assignee_id: null,
          group_id: t.group_id ?? null,
          tags: t.tags ?? [],
          external_id: t.external_id ?? null,
          created_at: now,
          updated_at: now,
          via: { channel: 'api' },
        },
        comments: [],
      };
      this.tickets.set(id, ticket);
      this.addComment(ticket, { author_id: API_USER_ID, body: comment.body, public: comment.public ?? true, attachments: [] });
      const answer = { ticket: ticket.ticket };
      if (key) this.idempotency.set(key, { fingerprint: raw, status: 201, body: answer });
      return c.json(answer, 201, { location: ticket.ticket.url as string, 'x-idempotency-lookup': 'miss' });
    };
    app.post('/api/v2/tickets', createTicket);
    app.post('/api/v2/tickets.json', createTicket);

    const updateTicket = async (c: Context) => {
      const id = Number(c.req.param('id')?.replace(/\.json$/, ''));
      const t = this.tickets.get(id);
      if (!t) return c.json({ error: 'RecordNotFound', description: 'Not found' }, 404);
      const now = Date.now();
      const recent = this.updates.filter((u) => u.ticketId === id && now - u.at < this.options.windowMs);
      if (recent.length >= this.options.updatesPerWindow) {
        this.rateLimited += 1;
        const limited = zendeskFixture<{ status: number; headers: Record<string, string>; body: string }>('error-rate-limited.json');
        const wait = Math.ceil((Math.min(...recent.map((u) => u.at)) + this.options.windowMs - now) / 1000);
        return c.text(limited.body, 429, { 'retry-after': String(Math.max(1, wait)) });
      }
      const body = (await c.req.json()) as { ticket?: { comment?: { body?: string; author_id?: number; public?: boolean; uploads?: string[] }; status?: string } };
      const comment = body.ticket?.comment;
      if (comment) {
        if (!comment.body) return recordInvalid(c, 'Record validation errors', { comment: [{ type: 'blank', description: "Comment: can't be blank" }] });
        const attachments = (comment.uploads ?? []).flatMap((token) => {
          const up = this.uploads.get(token);
          if (!up) return [];
          this.nextId += 1;
          return [{ id: this.nextId, file_name: up.name, content_type: up.contentType, size: up.bytes.byteLength, content_url: `https://${this.options.subdomain}.zendesk.com/attachments/token/${token}/?name=${up.name}`, thumbnails: [] as [] }];
        });
        this.addComment(t, { author_id: comment.author_id ?? API_USER_ID, body: comment.body, public: comment.public ?? true, attachments });
      }
      if (body.ticket?.status) t.ticket.status = body.ticket.status;
      t.ticket.updated_at = new Date().toISOString();
      this.updates.push({ ticketId: id, at: now });
      const template = zendeskFixture<{ audit: Record<string, unknown> }>('tickets-update-comment-response.json');
      return c.json({ ...template, ticket: t.ticket }, 200);
    };
    app.put('/api/v2/tickets/:id', updateTicket);

    app.get('/api/v2/tickets/:id/comments', (c) => {
      const t = this.tickets.get(Number(c.req.param('id')));
      if (!t) return c.json({ error: 'RecordNotFound', description: 'Not found' }, 404);
      const comments = c.req.query('sort_order') === 'desc' ? [...t.comments].reverse() : t.comments;
      return c.json({ comments, next_page: null, previous_page: null, count: comments.length });
    });
    app.get('/api/v2/tickets/:id', (c) => {
      const t = this.tickets.get(Number(c.req.param('id')?.replace(/\.json$/, '')));
      return t ? c.json({ ticket: t.ticket }) : c.json({ error: 'RecordNotFound', description: 'Not found' }, 404);
    });

    app.post('/api/v2/uploads', async (c) => {
      const name = c.req.query('filename');
      if (!name) return c.json({ error: 'InvalidValue', description: 'filename is required' }, 400);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const contentType = c.req.header('content-type') ?? 'application/octet-stream';
      const token = randomBytes(12).toString('base64url');
      this.uploads.set(token, { name, contentType, bytes });
      const template = zendeskFixture<{ upload: { attachment: Record<string, unknown> } }>('uploads-response.json').upload;
      const attachment = { ...template.attachment, file_name: name, content_type: contentType, size: bytes.byteLength };
      return c.json({ upload: { token, attachment, attachments: [attachment] } }, 201);
    });

    app.post('/api/v2/webhooks', async (c) => {
      const body = (await c.req.json()) as { webhook?: Record<string, unknown> };
      const w = body.webhook ?? {};
      if (!w.name || !w.endpoint) {
        return c.json({ errors: [{ code: 'InvalidInput', title: 'Invalid input', detail: 'name and endpoint are required', source: { pointer: '/webhook' } }] }, 400);
      }
      const id = `01H${randomUUID().replaceAll('-', '').slice(0, 23).toUpperCase()}`;
      const secret = randomBytes(32).toString('base64');
      this.webhooks.set(id, { id, endpoint: String(w.endpoint), secret, body: w });
      const template = zendeskFixture<{ webhook: Record<string, unknown> }>('webhook-create-response.json').webhook;
      return c.json({ webhook: { ...template, ...w, id, created_at: new Date().toISOString(), authentication: undefined } }, 201);
    });
    app.get('/api/v2/webhooks/:id/signing_secret', (c) => {
      const w = this.webhooks.get(c.req.param('id'));
      if (!w) return c.json({ errors: [{ code: 'WebhookNotFound', title: 'Webhook not found', detail: 'No webhook with that id' }] }, 404);
      return c.json({ signing_secret: { secret: w.secret, algorithm: 'SHA256' } });
    });

    app.post('/api/v2/triggers', async (c) => {
      const body = (await c.req.json()) as { trigger?: { title?: string; conditions?: { all?: { field: string; operator: string; value: string }[] }; actions?: { field: string; value: unknown }[] } };
      const t = body.trigger;
      const action = t?.actions?.find((a) => a.field === 'notification_webhook');
      const [webhookId, template] = Array.isArray(action?.value) ? (action.value as [string, string]) : [];
      if (!t?.title || !t.conditions || !webhookId || !template) {
        return recordInvalid(c, 'Record validation errors', { base: [{ type: 'invalid', description: 'A trigger needs a title, conditions and actions' }] });
      }
      if (!this.webhooks.has(webhookId)) return recordInvalid(c, 'Record validation errors', { base: [{ type: 'invalid', description: 'Webhook not found' }] });
      const tag = t.conditions.all?.find((x) => x.field === 'current_tags')?.value ?? null;
      this.nextId += 1;
      this.triggers.push({ id: this.nextId, webhookId, template, tag, body: t as Record<string, unknown> });
      return c.json({ trigger: { id: this.nextId, ...t, active: true, created_at: new Date().toISOString() } }, 201);
    });

    app.all('*', (c) => c.json({ error: 'InvalidEndpoint', description: 'Not found' }, 404));
    return app;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
