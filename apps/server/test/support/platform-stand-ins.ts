import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadFixture } from './channel-fixtures.ts';

/** A request Desk made to a platform, as the stand-in received it. */
export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
  json: any;
  /** When the request arrived (Date.now()). */
  receivedAt: number;
  /** When the stand-in wrote its answer (Date.now()); unset while the request is still waiting for it. */
  answeredAt?: number;
}

export interface Reply {
  status: number;
  json?: unknown;
  bytes?: Uint8Array;
  contentType?: string;
  /** Answer this much later (a slow platform). */
  delayMs?: number;
}

type Handler = (req: Recorded) => Reply | Promise<Reply>;

/**
 * A small node:http server on loopback that plays a platform's API: records every request Desk
 * makes and answers in the platform's format. `failNext` scripts one-off failures (5xx, 429, …).
 */
export class StandIn {
  readonly requests: Recorded[] = [];
  private readonly listeners = new Set<(req: Recorded) => void>();
  private readonly scripted: { match: (req: Recorded) => boolean; reply: Reply | 'hang' }[] = [];
  url = '';
  /** Every answer goes out this much later (a slow platform: Desk's calls stay in flight meanwhile). */
  replyDelayMs = 0;

  /** Calls `listener` with every request as it arrives (benchmarks time the replies); answers the unsubscribe. */
  onRequest(listener: (req: Recorded) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private constructor(
    private readonly server: Server,
    private readonly handler: Handler,
  ) {}

  static async start(handler: Handler): Promise<StandIn> {
    let standIn: StandIn | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://stand-in');
        let json: unknown = null;
        try {
          json = raw ? JSON.parse(raw) : null;
        } catch {
          json = null;
        }
        const recorded: Recorded = { receivedAt: Date.now(), method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams, headers: req.headers, raw, json };
        const self = standIn as StandIn;
        self.requests.push(recorded);
        for (const listener of self.listeners) listener(recorded);
        const scriptedIndex = self.scripted.findIndex((s) => s.match(recorded));
        let reply: Reply | 'hang';
        if (scriptedIndex >= 0) {
          reply = (self.scripted[scriptedIndex] as { reply: Reply | 'hang' }).reply;
          self.scripted.splice(scriptedIndex, 1);
        } else {
          try {
            reply = await self.handler(recorded);
          } catch (err) {
            reply = { status: 500, json: { error: String(err) } };
          }
        }
        if (reply === 'hang') return;
        const delayMs = (reply.delayMs ?? 0) + self.replyDelayMs;
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        res.once('finish', () => {
          recorded.answeredAt = Date.now();
        });
        if (reply.bytes) {
          res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/octet-stream', 'content-length': reply.bytes.byteLength });
          res.end(Buffer.from(reply.bytes));
        } else {
          const body = JSON.stringify(reply.json ?? {});
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(body);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standIn = new StandIn(server, handler);
    standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return standIn;
  }

  /** The next request that matches gets this reply instead of the normal one. */
  failNext(match: (req: Recorded) => boolean, reply: Reply | 'hang'): void {
    this.scripted.push({ match, reply });
  }

  received(match: (req: Recorded) => boolean): Recorded[] {
    return this.requests.filter(match);
  }

  clear(): void {
    this.requests.length = 0;
    this.scripted.length = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Tiny but real file headers, so the bytes look like what they claim. */
export const SAMPLE_BYTES = {
  jpeg: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]),
  ogg: new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]),
  pdf: new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
};

export interface StandInFile {
  path: string;
  bytes: Uint8Array;
  contentType: string;
}

/**
 * Telegram Bot API: sendMessage, getFile + file download, setWebhook; unknown tokens get 401.
 * `firstMessageId`: where the ids of sent messages start (two stand-ins playing one Telegram must not repeat them).
 * In a real chat the user's messages and the bot's share one sequence of ids, so a load whose users'
 * `message_id`s reach these must start them above its own (`LOAD_BOT_MESSAGE_IDS`): Desk takes a user
 * message whose id a bot message already has in that chat for a redelivery, as it would be on Telegram.
 */
export const LOAD_BOT_MESSAGE_IDS = 1_000_000_000;

export async function startTelegramStandIn(token: string, files: Record<string, StandInFile> = {}, options: { firstMessageId?: number } = {}) {
  let nextMessageId = (options.firstMessageId ?? 5001) - 1;
  const getFileTemplate = loadFixture<{ ok: boolean; result: Record<string, unknown> }>('telegram-getfile-response.json').body;
  const standIn = await StandIn.start((req) => {
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.path);
    if (file) {
      const found = Object.values(files).find((f) => f.path === file[2]);
      if (file[1] !== token || !found) return { status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } };
      return { status: 200, bytes: found.bytes, contentType: found.contentType };
    }
    const call = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
    if (!call) return { status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } };
    if (call[1] !== token) return { status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } };
    if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/json')) {
      return { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: expected JSON' } };
    }
    switch (call[2]) {
      case 'sendMessage': {
        if (req.json?.chat_id === undefined || typeof req.json?.text !== 'string' || req.json.text === '') {
          return { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } };
        }
        nextMessageId += 1;
        return {
          status: 200,
          json: {
            ok: true,
            result: {
              message_id: nextMessageId,
              from: { id: 777000, is_bot: true, first_name: 'Desk Bot', username: 'desk_bot' },
              chat: { id: req.json.chat_id, type: 'private' },
              date: Math.floor(Date.now() / 1000),
              text: req.json.text,
            },
          },
        };
      }
      case 'getFile': {
        const found = files[req.json?.file_id];
        if (!found) return { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' } };
        return {
          status: 200,
          json: { ...getFileTemplate, result: { ...getFileTemplate.result, file_id: req.json.file_id, file_size: found.bytes.byteLength, file_path: found.path } },
        };
      }
      case 'answerCallbackQuery':
        if (typeof req.json?.callback_query_id !== 'string') return { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: query id is required' } };
        return { status: 200, json: { ok: true, result: true } };
      case 'setWebhook':
        if (!req.json?.url) return { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: bad webhook: URL is missing' } };
        return { status: 200, json: { ok: true, result: true, description: 'Webhook was set' } };
      default:
        return { status: 404, json: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    }
  });
  return standIn;
}

export interface GraphTokens {
  phoneNumberId: string;
  whatsapp: string;
  page: string;
  instagram: string;
}

/** A Messenger (PSID) or Instagram (IGSID) user, as `GET /{id}?fields=…` tells them. */
export interface GraphProfile {
  channel: 'messenger' | 'instagram';
  first_name?: string;
  last_name?: string;
  name?: string;
  username?: string;
}

/**
 * The Graph API: WhatsApp send + media, Messenger/Instagram Send API, attachment CDN, and the user
 * profiles of `profiles` (`GET /{PSID|IGSID}?fields=…`, with that channel's token as a bearer header
 * or an `access_token` parameter, as Graph accepts either).
 */
export async function startGraphStandIn(tokens: GraphTokens, media: Record<string, StandInFile> = {}, profiles: Record<string, GraphProfile> = {}) {
  let next = 0;
  const whatsappResponse = loadFixture<{ contacts: Record<string, unknown>[]; messages: { id: string }[] }>('whatsapp-send-text-response.json').body;
  const messengerResponse = loadFixture<Record<string, unknown>>('messenger-send-text-response.json').body;
  const oauthError = { status: 401, json: { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'AbCdEf' } } };
  const bearer = (req: Recorded) => String(req.headers.authorization ?? '').replace(/^Bearer /, '');
  const standIn = await StandIn.start((req) => {
    const cdn = /^\/cdn\/(.+)$/.exec(req.path);
    if (cdn) {
      const found = Object.values(media).find((f) => f.path === cdn[1]);
      return found ? { status: 200, bytes: found.bytes, contentType: found.contentType } : { status: 404, json: {} };
    }
    const download = /^\/download\/(.+)$/.exec(req.path);
    if (download) {
      if (bearer(req) !== tokens.whatsapp) return oauthError;
      const found = media[download[1] as string];
      return found ? { status: 200, bytes: found.bytes, contentType: found.contentType } : { status: 404, json: {} };
    }
    const send = /^\/([^/]+)\/messages$/.exec(req.path);
    if (send && req.method === 'POST') {
      next += 1;
      if (send[1] === tokens.phoneNumberId) {
        if (bearer(req) !== tokens.whatsapp) return oauthError;
        if (req.json?.messaging_product !== 'whatsapp' || req.json?.type !== 'text' || !req.json?.text?.body) {
          return { status: 400, json: { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } } };
        }
        return {
          status: 200,
          json: { ...whatsappResponse, contacts: [{ input: req.json.to, wa_id: req.json.to }], messages: [{ id: `wamid.sent-${next}` }] },
        };
      }
      if (bearer(req) !== tokens.page && bearer(req) !== tokens.instagram) return oauthError;
      if (!req.json?.recipient?.id || !req.json?.message?.text) {
        return { status: 400, json: { error: { message: '(#100) The parameter recipient is required', type: 'OAuthException', code: 100 } } };
      }
      return { status: 200, json: { ...messengerResponse, recipient_id: req.json.recipient.id, message_id: `m_sent-${next}` } };
    }
    const node = /^\/([^/]+)$/.exec(req.path);
    if (node && req.method === 'GET' && req.query.has('fields')) {
      const token = bearer(req) || (req.query.get('access_token') ?? '');
      if (token !== tokens.page && token !== tokens.instagram && token !== tokens.whatsapp) return oauthError;
      const profile = profiles[node[1] as string];
      const own = profile && token === (profile.channel === 'messenger' ? tokens.page : tokens.instagram);
      if (!profile || !own) {
        return {
          status: 400,
          json: { error: { message: `Unsupported get request. Object with ID '${node[1]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, type: 'GraphMethodException', code: 100, error_subcode: 33 } },
        };
      }
      const fields = String(req.query.get('fields')).split(',');
      const allowed = profile.channel === 'messenger' ? ['first_name', 'last_name', 'name', 'profile_pic'] : ['name', 'username', 'profile_pic'];
      const unknown = fields.find((f) => !allowed.includes(f));
      if (unknown) return { status: 400, json: { error: { message: `(#100) Tried accessing nonexisting field (${unknown})`, type: 'OAuthException', code: 100 } } };
      const answer: Record<string, unknown> = { id: node[1] };
      for (const field of fields) {
        const value = profile[field as keyof GraphProfile];
        if (value !== undefined) answer[field] = value;
      }
      return { status: 200, json: answer };
    }
    const mediaInfo = node;
    if (mediaInfo && req.method === 'GET') {
      if (bearer(req) !== tokens.whatsapp) return oauthError;
      const found = media[mediaInfo[1] as string];
      if (!found) return { status: 404, json: { error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100 } } };
      return {
        status: 200,
        json: {
          messaging_product: 'whatsapp',
          url: `${standIn.url}/download/${encodeURIComponent(mediaInfo[1] as string)}`,
          mime_type: found.contentType,
          sha256: 'IMAGE_HASH',
          file_size: found.bytes.byteLength,
          id: mediaInfo[1],
        },
      };
    }
    return { status: 404, json: { error: { message: 'Unknown path', code: 803 } } };
  });
  return standIn;
}

/** Sunshine Conversations v2: post a message as business (HTTP Basic), plus a file host. */
export async function startSmoochStandIn(appId: string, keyId: string, keySecret: string, files: Record<string, StandInFile> = {}) {
  let next = 0;
  const template = loadFixture<{ messages: Record<string, unknown>[] }>('smooch-post-message-response.json').body;
  const expected = `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`;
  return StandIn.start((req) => {
    const file = /^\/files\/(.+)$/.exec(req.path);
    if (file) {
      const found = Object.values(files).find((f) => f.path === file[1]);
      return found ? { status: 200, bytes: found.bytes, contentType: found.contentType } : { status: 404, json: {} };
    }
    const post = /^\/v2\/apps\/([^/]+)\/conversations\/([^/]+)\/messages$/.exec(req.path);
    if (!post || req.method !== 'POST') return { status: 404, json: { errors: [{ code: 'not_found', title: 'Resource not found' }] } };
    if (req.headers.authorization !== expected) return { status: 401, json: { errors: [{ code: 'unauthorized', title: 'Authorization is required' }] } };
    if (post[1] !== appId) return { status: 404, json: { errors: [{ code: 'app_not_found', title: 'App not found' }] } };
    if (req.json?.author?.type !== 'business' || req.json?.content?.type !== 'text') {
      return { status: 400, json: { errors: [{ code: 'bad_request', title: 'Invalid author or content' }] } };
    }
    next += 1;
    const message = template.messages[0] as Record<string, unknown>;
    return { status: 201, json: { messages: [{ ...message, id: `sent-${next}`, content: req.json.content, received: new Date().toISOString() }] } };
  });
}
