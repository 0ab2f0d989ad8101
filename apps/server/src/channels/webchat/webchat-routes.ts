import { randomUUID } from 'node:crypto';
import { DeskError, ErrorBodySchema, ErrorCode, MESSAGE_TEXT_MAX, type Message, timeOrderedId, WebchatMessage } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { cors } from 'hono/cors';
import { streamSSE } from 'hono/streaming';
import type { AgentsRepo } from '../../accounts/agents-repo.ts';
import type { ConversationsRepo } from '../../conversations/conversations-repo.ts';
import type { InboundFile } from '../../conversations/engine.ts';
import type { MessagesRepo } from '../../conversations/messages-repo.ts';
import type { EventBus } from '../../events/domain-events.ts';
import { invalid, notFound, unauthenticated } from '../../http/api-error.ts';
import { clientAddress } from '../../http/client-address.ts';
import { RateLimiter } from '../../http/rate-limiter.ts';
import { createRouter } from '../../http/router.ts';
import { StreamCaps } from '../../http/stream-caps.ts';
import type { MediaRepo } from '../../media/media-repo.ts';
import type { MediaStore } from '../../media/media-store.ts';
import { serveMedia } from '../../media/serve-media.ts';
import type { InboxIntake } from '../../inbox/inbox-intake.ts';
import type { UploadQuota } from '../../media/upload-quota.ts';
import { receiveMultipart } from './multipart-upload.ts';
import type { WebchatInboxEvent } from './webchat-inbox.ts';
import { acceptedWebchatMessage, toWebchatMessage, toWebchatMessages } from './webchat-view.ts';
import type { WebchatVisitors } from './webchat-visitors.ts';
import type { WebchatPokes } from '../../fanout/webchat-pokes.ts';

export interface WebchatDeps {
  /** Where a visitor's message goes first; answers when it was received. */
  inbox: Pick<InboxIntake, 'accept'>;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  agents: AgentsRepo;
  events: EventBus;
  media: MediaRepo;
  mediaStore: MediaStore;
  mediaMaxBytes: number;
  visitors: WebchatVisitors;
  uploadQuota: UploadQuota;
  /** New visitors one address may create per hour. */
  newVisitorsPerHour?: number;
  /** Concurrent streams per visitor and per address. */
  streamsPerVisitor?: number;
  streamsPerAddress?: number;
  /** Milliseconds between heartbeat comments on the stream. */
  heartbeatMs?: number;
  /** Counts an open stream (the SSE clients metric); answers the function that uncounts it. */
  trackStream?: () => () => void;
  /** Messages another instance stored for a visitor (fanout/webchat-pokes.ts): the stream reads them from the database. */
  webchatPokes?: Pick<WebchatPokes, 'onElsewhere'>;
}

/** The header carrying the visitor's secret; the stream may take it from `?visitorToken=` or this cookie. */
export const VISITOR_TOKEN_HEADER = 'X-Visitor-Token';
export const VISITOR_TOKEN_COOKIE = 'desk_visitor';

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };
const VisitorId = z.uuid('visitorId must be a UUID.').openapi({
  description: "The visitor's public id (agents see it). A new visitor may choose it; it grants nothing without the token.",
});
const TokenHeader = z.object({
  'x-visitor-token': z.string().max(200).optional().openapi({ description: 'The secret the first message answered as `visitorToken`.' }),
});
const Text = z.string().trim().max(MESSAGE_TEXT_MAX);
const JsonMessage = z.object({ visitorId: VisitorId.optional(), text: Text.min(1, 'Write a message.'), name: z.string().trim().max(120).optional() });
const FormMessage = z.object({
  visitorId: VisitorId.optional(),
  text: Text.optional(),
  name: z.string().trim().max(120).optional(),
});
const FormDoc = FormMessage.extend({
  file: z.any().optional().openapi({ type: 'string', format: 'binary', description: 'An image, audio, video, PDF, text, office document or zip file.' }),
});
const Credential = z.object({
  visitorId: VisitorId,
  visitorToken: z.string().optional().openapi({ description: 'Issued with the first message (or a claim or rotation): send it as `X-Visitor-Token` from then on.' }),
});

export const WEBCHAT_MESSAGES_PATH = '/channels/webchat/messages';

const postRoute = createRoute({
  method: 'post',
  path: WEBCHAT_MESSAGES_PATH,
  tags: ['webchat'],
  summary: 'Send a visitor message (text, or multipart with a file)',
  description:
    'Public. The first message (no `X-Visitor-Token`) creates the visitor and answers `visitorToken`; every later call needs it. ' +
    'Answers the visitor message with the id it is stored under (it is in the inbox, stored moments later); the bot answer arrives on the stream and in the message list.',
  request: {
    headers: TokenHeader,
    body: {
      content: { 'application/json': { schema: JsonMessage }, 'multipart/form-data': { schema: FormDoc } },
      required: false,
    },
  },
  responses: {
    201: { content: { 'application/json': { schema: Credential.extend({ message: WebchatMessage }) } }, description: 'Stored' },
    400: errors,
    401: errors,
    413: errors,
    415: errors,
    429: errors,
    507: errors,
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/channels/webchat/messages',
  tags: ['webchat'],
  summary: "The visitor's conversation, oldest first",
  request: { headers: TokenHeader },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ messages: z.array(WebchatMessage) }) } }, description: 'OK' },
    401: errors,
    404: errors,
  },
});

const streamRoute = createRoute({
  method: 'get',
  path: '/channels/webchat/stream',
  tags: ['webchat'],
  summary: 'Server-sent events: `message` with a WebchatMessage for every new message',
  description:
    'A comment is sent every 15 s as a heartbeat. Reconnects with Last-Event-ID receive what they missed. ' +
    '`EventSource` cannot send headers: the token may come as `?visitorToken=` or in the `desk_visitor` cookie instead. An unknown visitor gets 404.',
  request: { headers: TokenHeader, query: z.object({ visitorToken: z.string().max(200).optional() }) },
  responses: {
    200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'Event stream' },
    401: errors,
    404: errors,
    429: errors,
  },
});

const tokenRoute = createRoute({
  method: 'post',
  path: '/channels/webchat/token',
  tags: ['webchat'],
  summary: "A new visitor token (rotation), or a first one for a visitor from before tokens",
  description:
    'With `X-Visitor-Token`: issues a new token, the old one stops working. Without: a visitor created before tokens existed ' +
    'claims one with their old `visitorId`, once.',
  request: { headers: TokenHeader, body: { content: { 'application/json': { schema: z.object({ visitorId: VisitorId.optional() }) } }, required: false } },
  responses: {
    200: { content: { 'application/json': { schema: Credential } }, description: 'The new token' },
    401: errors,
  },
});

const mediaRoute = createRoute({
  method: 'get',
  path: '/channels/webchat/media/{id}',
  tags: ['webchat'],
  summary: 'A file of the visitor’s own conversation',
  request: { params: z.object({ id: z.uuid() }), headers: TokenHeader },
  responses: {
    200: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The file' },
    400: errors,
    401: errors,
    404: errors,
  },
});

/** The public web chat channel: the widget's HTTP API. No session: the visitor's secret token is the key. */
export function webchatRoutes(deps: WebchatDeps) {
  const router = createRouter();
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  // The widget runs on other websites: allow any origin, never with credentials.
  router.use(
    '/channels/webchat/*',
    cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['Content-Type', 'Last-Event-ID', VISITOR_TOKEN_HEADER] }),
  );
  // The body limit (the largest file plus its envelope) is applied to every route in app.ts.

  // A public endpoint: a person types a few messages a minute, a script thousands.
  const perVisitor = new RateLimiter(20, 10_000);
  const perAddress = new RateLimiter(600, 60_000);
  const newVisitorsPerAddress = new RateLimiter(deps.newVisitorsPerHour ?? 30, 60 * 60_000);
  const streams = new StreamCaps({ visitor: deps.streamsPerVisitor ?? 5, address: deps.streamsPerAddress ?? 50 });
  const refuse = (c: Context, limiter: RateLimiter, key: string, message: string) => {
    const wait = limiter.hit(key);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      throw new DeskError(ErrorCode.tooManyRequests, `${message} Try again in ${wait} s.`);
    }
  };

  /** The visitor behind the request's token; 401 without a valid one. */
  const visitorOf = async (c: Context, token = c.req.header(VISITOR_TOKEN_HEADER)) => {
    if (!token) throw unauthenticated(`Send the visitor token in ${VISITOR_TOKEN_HEADER}.`);
    const visitorId = await deps.visitors.resolve(token);
    if (!visitorId) throw unauthenticated('This visitor token is not valid (any more). Start a new conversation.');
    return visitorId;
  };

  /** Agents' names for the visitor's view: `known` answers from what `load` read for the messages. */
  const agentNames = () => {
    const cache = new Map<string, string | undefined>();
    return {
      known: (id: string) => cache.get(id),
      async load(messages: readonly { agentId: string | null }[]) {
        for (const { agentId } of messages) {
          if (agentId && !cache.has(agentId)) cache.set(agentId, (await deps.agents.get(agentId))?.name);
        }
      },
    };
  };

  // Registered for the docs only: the router's validators would read (and buffer) the body before the
  // flood and quota checks, and multipart must stream to disk.
  router.openAPIRegistry.registerPath(postRoute);
  router.post(postRoute.path, async (c) => {
    const type = c.req.header('content-type') ?? '';
    const isJson = /^application\/json\b/i.test(type);
    if (!isJson && !/^multipart\/form-data\b/i.test(type)) {
      throw new DeskError(ErrorCode.unsupportedMediaType, 'Send JSON or multipart/form-data.');
    }
    const address = clientAddress(c);
    // Everything that refuses a request is decided from its headers, before the body is read.
    const token = c.req.header(VISITOR_TOKEN_HEADER);
    const knownVisitor = token ? await visitorOf(c, token) : null;
    refuse(c, perAddress, address, 'Too many messages.');
    if (knownVisitor) refuse(c, perVisitor, knownVisitor, 'Too many messages.');
    const allowance = isJson ? null : await deps.uploadQuota.allowance(address);
    const declaredLength = Number(c.req.header('content-length') ?? '');
    if (allowance && Number.isFinite(declaredLength) && declaredLength > allowance.bytes + 64 * 1024) throw allowance.exceeded;

    let body: z.infer<typeof FormMessage>;
    let stored: InboundFile | null = null;
    if (isJson) {
      body = parseBody(JsonMessage, await c.req.json().catch(() => malformedJson()));
    } else {
      const form = await receiveMultipart(c.req.raw, deps.mediaStore, {
        maxFileBytes: deps.mediaMaxBytes,
        allowanceBytes: allowance?.bytes ?? 0,
        overQuota: allowance?.exceeded as DeskError,
      });
      stored = form.file;
      try {
        body = parseBody(FormMessage, form.fields);
      } catch (err) {
        if (stored) await deps.mediaStore.remove(stored.mediaId);
        throw err;
      }
    }
    const text = body.text ?? '';
    if (!stored && text === '') throw invalid('Write a message or attach a file.', { text: 'Write a message or attach a file.' });

    try {
      const now = new Date().toISOString();
      let visitorId = knownVisitor;
      let issued: string | undefined;
      if (!visitorId) {
        // A visitor's id stays random (v4): it names a person, not a row, and says nothing of when they came.
        const chosen = body.visitorId ?? randomUUID();
        const found = await deps.visitors.lookup(chosen);
        if (found.kind === 'taken') throw unauthenticated(`This visitor already has a token: send it in ${VISITOR_TOKEN_HEADER}.`);
        // A visitor from before tokens gets one with their old id, once; anybody else is a new visitor.
        if (found.kind === 'unknown') refuse(c, newVisitorsPerAddress, address, 'Too many new conversations from this network.');
        const credential = found.kind === 'legacy' ? await deps.visitors.issue(chosen, now, { onlyIfLegacy: true }) : await deps.visitors.create(chosen, now);
        if (!credential) throw unauthenticated(`This visitor already has a token: send it in ${VISITOR_TOKEN_HEADER}.`);
        refuse(c, perVisitor, credential.visitorId, 'Too many messages.');
        visitorId = credential.visitorId;
        issued = credential.visitorToken;
      }
      // Only the inbox is written before the answer: the processor stores the message under this id,
      // and the bot's answer reaches the visitor on the stream.
      const event: WebchatInboxEvent = { id: timeOrderedId(), visitorId, text, name: body.name ?? null, file: stored };
      const { receivedAt } = await deps.inbox.accept('webchat', event.id, JSON.stringify(event));
      if (stored) await deps.uploadQuota.record(address, stored.size);
      return c.json({ visitorId, ...(issued && { visitorToken: issued }), message: acceptedWebchatMessage(event, receivedAt) }, 201);
    } catch (err) {
      // Nothing half-written: a file without its message row is removed.
      if (stored) await deps.mediaStore.remove(stored.mediaId);
      throw err;
    }
  });

  router.openAPIRegistry.registerPath(tokenRoute);
  router.post(tokenRoute.path, async (c) => {
    const now = new Date().toISOString();
    const token = c.req.header(VISITOR_TOKEN_HEADER);
    if (token) return c.json(await deps.visitors.issue(await visitorOf(c, token), now, { onlyIfLegacy: false }), 200);
    const body = (await c.req.json().catch(() => ({}))) as { visitorId?: unknown };
    const visitorId = typeof body?.visitorId === 'string' ? body.visitorId : '';
    const claimed = visitorId ? await deps.visitors.issue(visitorId, now, { onlyIfLegacy: true }) : null;
    if (!claimed) throw unauthenticated('Nothing to claim for this visitor. Start a new conversation.');
    return c.json(claimed, 200);
  });

  router.openapi(listRoute, async (c) => {
    const visitorId = await visitorOf(c);
    const conversation = await deps.conversations.findByIdentity('webchat', visitorId);
    if (!conversation) throw notFound('No conversation for this visitor.');
    const names = agentNames();
    const stored = await deps.messages.listByConversation(conversation.id);
    await names.load(stored);
    const messages = toWebchatMessages(stored, names.known);
    return c.json({ messages }, 200);
  });

  router.openapi(streamRoute, async (c) => {
    const token = c.req.header(VISITOR_TOKEN_HEADER) ?? c.req.valid('query').visitorToken ?? getCookie(c, VISITOR_TOKEN_COOKIE);
    if (!token) throw unauthenticated(`Send the visitor token in ${VISITOR_TOKEN_HEADER}, ?visitorToken= or the ${VISITOR_TOKEN_COOKIE} cookie.`);
    const visitorId = await deps.visitors.resolve(token);
    if (!visitorId) throw notFound('No such visitor.');
    const release = streams.acquire([['visitor', visitorId], ['address', clientAddress(c)]]);
    const lastEventId = c.req.header('last-event-id');
    return streamSSE(c, async (stream) => {
      const names = agentNames();
      // Messages in the order they came; each is written once its agent's name is known.
      const queue: Promise<string>[] = [];
      // Ids queued on this stream: a message heard of twice (event and catch-up) is sent once.
      const queued = new Set<string>();
      let wake: (() => void) | null = null;
      const render = async (message: Message) => {
        await names.load([message]);
        return JSON.stringify(toWebchatMessage(message, names.known) as WebchatMessage);
      };
      const push = (message: Message, first = false) => {
        if (queued.has(message.id)) return;
        queued.add(message.id);
        // An internal note never reaches the visitor (toWebchatMessage answers null for it).
        if (!toWebchatMessage(message, () => undefined)) return;
        const data = render(message);
        if (first) queue.unshift(data);
        else queue.push(data);
        wake?.();
      };
      const unsubscribe = deps.events.on('message.created', ({ message, channel, externalId }) => {
        if (channel === 'webchat' && externalId === visitorId) push(message);
      });
      let open = true;
      const untrack = deps.trackStream?.() ?? (() => {});
      // Another instance stored messages for this visitor (or pokes may have been lost): send
      // those after the last one this stream has read from the database.
      let readUpTo = lastEventId ?? null;
      const catchUp = async () => {
        const conversation = await deps.conversations.findByIdentity('webchat', visitorId);
        if (!conversation || !open) return;
        const missed = await deps.messages.listByConversation(conversation.id, readUpTo ? { afterId: readUpTo } : {});
        for (const m of missed) push(m);
        readUpTo = missed.at(-1)?.id ?? readUpTo;
      };
      const offElsewhere =
        deps.webchatPokes?.onElsewhere(visitorId, () => void catchUp().catch((err) => console.error('[desk] web chat catch-up failed', err))) ??
        (() => {});
      stream.onAbort(() => {
        open = false;
        unsubscribe();
        offElsewhere();
        wake?.();
      });
      const conversation = deps.webchatPokes || lastEventId ? await deps.conversations.findByIdentity('webchat', visitorId) : null;
      if (conversation && lastEventId) {
        for (const m of (await deps.messages.listByConversation(conversation.id, { afterId: lastEventId })).reverse()) push(m, true);
      } else if (conversation) {
        // What the visitor has is listed by the widget itself; catch-ups start after it.
        readUpTo = (await deps.messages.latest(conversation.id))?.message.id ?? null;
      }
      await stream.write(': connected\n\n');
      try {
        while (open) {
          while (queue.length > 0) {
            const data = await (queue.shift() as Promise<string>);
            await stream.writeSSE({ event: 'message', id: (JSON.parse(data) as { id: string }).id, data });
          }
          const timedOut = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), heartbeatMs);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
          });
          wake = null;
          // A rotated token ends the streams opened with the old one.
          if (open && (await deps.visitors.resolve(token).catch(() => null)) !== visitorId) open = false;
          if (timedOut && open) await stream.write(': heartbeat\n\n');
        }
      } finally {
        unsubscribe();
        offElsewhere();
        release();
        untrack();
      }
    }) as never;
  });

  router.openapi(mediaRoute, async (c) => {
    const { id } = c.req.valid('param');
    const visitorId = await visitorOf(c);
    const media = await deps.media.get(id);
    const owner = media ? await deps.conversations.get(media.conversationId) : null;
    const owns = owner?.channel === 'webchat' && owner.externalId === visitorId;
    return serveMedia(deps.mediaStore, owns ? media : null) as never;
  });

  return router;
}

function malformedJson(): never {
  throw new DeskError(ErrorCode.malformedJson, 'The body is not valid JSON.');
}

/** Validates a body read by hand (the multipart stream is not parsed by the router's validator). */
function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[issue.path.join('.') || 'body'] = issue.message;
  throw new DeskError(ErrorCode.invalidInput, Object.values(fields)[0] ?? 'Invalid input.', { fields });
}
