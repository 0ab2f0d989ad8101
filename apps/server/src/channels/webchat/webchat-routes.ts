import { randomUUID } from 'node:crypto';
import { DeskError, ErrorBodySchema, ErrorCode, MESSAGE_TEXT_MAX, WebchatMessage } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { streamSSE } from 'hono/streaming';
import type { AgentsRepo } from '../../accounts/agents-repo.ts';
import type { ConversationsRepo } from '../../conversations/conversations-repo.ts';
import type { InboundFile } from '../../conversations/engine.ts';
import type { MessagesRepo } from '../../conversations/messages-repo.ts';
import type { EventBus } from '../../events/domain-events.ts';
import { invalid, notFound } from '../../http/api-error.ts';
import { clientAddress } from '../../http/client-address.ts';
import { RateLimiter } from '../../http/rate-limiter.ts';
import { createRouter } from '../../http/router.ts';
import type { MediaRepo } from '../../media/media-repo.ts';
import type { MediaStore } from '../../media/media-store.ts';
import { baseMimeType, isAllowedMediaType } from '../../media/media-types.ts';
import { serveMedia } from '../../media/serve-media.ts';
import type { InboxIntake } from '../../inbox/inbox-intake.ts';
import type { WebchatInboxEvent } from './webchat-inbox.ts';
import { acceptedWebchatMessage, toWebchatMessage } from './webchat-view.ts';

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
  /** Milliseconds between heartbeat comments on the stream. */
  heartbeatMs?: number;
  /** Counts an open stream (the SSE clients metric); answers the function that uncounts it. */
  trackStream?: () => () => void;
}

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };
const VisitorId = z.uuid('visitorId must be a UUID.').openapi({ description: "The visitor's id, kept by the widget in localStorage." });
const VisitorQuery = z.object({ visitorId: VisitorId });
const Text = z.string().trim().max(MESSAGE_TEXT_MAX);
const JsonMessage = z.object({ visitorId: VisitorId, text: Text.min(1, 'Write a message.'), name: z.string().trim().max(120).optional() });
const FormMessage = z.object({
  visitorId: VisitorId,
  text: Text.optional(),
  name: z.string().trim().max(120).optional(),
  file: z.any().optional().openapi({ type: 'string', format: 'binary', description: 'An image, audio, video, PDF, text, office document or zip file.' }),
});

export const WEBCHAT_MESSAGES_PATH = '/channels/webchat/messages';

const postRoute = createRoute({
  method: 'post',
  path: WEBCHAT_MESSAGES_PATH,
  tags: ['webchat'],
  summary: 'Send a visitor message (text, or multipart with a file)',
  description: 'Public. Answers the visitor message with the id it is stored under (it is in the inbox, stored moments later); the bot answer arrives on the stream and in the message list.',
  request: {
    body: {
      content: { 'application/json': { schema: JsonMessage }, 'multipart/form-data': { schema: FormMessage } },
      required: false,
    },
  },
  responses: {
    201: { content: { 'application/json': { schema: z.object({ message: WebchatMessage }) } }, description: 'Stored' },
    400: errors,
    413: errors,
    415: errors,
    429: errors,
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/channels/webchat/messages',
  tags: ['webchat'],
  summary: "The visitor's conversation, oldest first",
  request: { query: VisitorQuery },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ messages: z.array(WebchatMessage) }) } }, description: 'OK' },
    400: errors,
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
    'A visitor who has not written yet may connect: their messages arrive once the conversation starts.',
  request: { query: VisitorQuery },
  responses: { 200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'Event stream' }, 400: errors },
});

const mediaRoute = createRoute({
  method: 'get',
  path: '/channels/webchat/media/{id}',
  tags: ['webchat'],
  summary: 'A file of the visitor’s own conversation',
  request: { params: z.object({ id: z.uuid() }), query: VisitorQuery },
  responses: {
    200: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The file' },
    400: errors,
    404: errors,
  },
});

/** The public web chat channel: the widget's HTTP API. No session; the visitor id is the key. */
export function webchatRoutes(deps: WebchatDeps) {
  const router = createRouter();
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  // The widget runs on other websites: allow any origin, never with credentials.
  router.use('/channels/webchat/*', cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['Content-Type', 'Last-Event-ID'] }));
  // The body limit (the largest file plus its envelope) is applied to every route in app.ts.

  // A public endpoint: a person types a few messages a minute, a script thousands.
  const perVisitor = new RateLimiter(20, 10_000);
  const perAddress = new RateLimiter(600, 60_000);
  const refuseFloods = (c: Context, visitorId: string) => {
    for (const [limiter, key] of [[perVisitor, visitorId], [perAddress, clientAddress(c)]] as const) {
      const wait = limiter.hit(key);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        throw new DeskError(ErrorCode.tooManyRequests, `Too many messages. Try again in ${wait} s.`);
      }
    }
  };

  const agentNames = () => {
    const cache = new Map<string, string | undefined>();
    return (id: string) => {
      if (!cache.has(id)) cache.set(id, deps.agents.get(id)?.name);
      return cache.get(id);
    };
  };

  router.openapi(postRoute, async (c) => {
    const type = c.req.header('content-type') ?? '';
    const isJson = /^application\/json\b/i.test(type);
    if (!isJson && !/^multipart\/form-data\b/i.test(type)) {
      throw new DeskError(ErrorCode.unsupportedMediaType, 'Send JSON or multipart/form-data.');
    }
    const body = isJson ? c.req.valid('json') : c.req.valid('form');
    refuseFloods(c, body.visitorId);
    const file = !isJson && (body as z.infer<typeof FormMessage>).file instanceof File ? ((body as z.infer<typeof FormMessage>).file as File) : null;
    const text = body.text ?? '';
    if (!file && text === '') throw invalid('Write a message or attach a file.', { text: 'Write a message or attach a file.' });

    let stored: InboundFile | null = null;
    if (file) {
      if (file.size > deps.mediaMaxBytes) {
        throw new DeskError(ErrorCode.payloadTooLarge, `Files may be up to ${Math.floor(deps.mediaMaxBytes / 1024 / 1024)} MB.`);
      }
      const mimeType = baseMimeType(file.type || 'application/octet-stream');
      if (!isAllowedMediaType(mimeType)) {
        throw new DeskError(ErrorCode.unsupportedMediaType, 'This kind of file is not accepted. Send an image, audio, video, PDF, text, office document or zip.');
      }
      const mediaId = await deps.mediaStore.write(new Uint8Array(await file.arrayBuffer()));
      stored = { mediaId, mimeType, size: file.size, name: (file.name || 'file').slice(0, 200) };
    }
    try {
      // Only the inbox is written before the answer: the processor stores the message under this id,
      // and the bot's answer reaches the visitor on the stream.
      const event: WebchatInboxEvent = { id: randomUUID(), visitorId: body.visitorId, text, name: body.name ?? null, file: stored };
      const { receivedAt } = deps.inbox.accept('webchat', event.id, JSON.stringify(event));
      return c.json({ message: acceptedWebchatMessage(event, receivedAt) }, 201);
    } catch (err) {
      // Nothing half-written: a file without its message row is removed.
      if (stored) await deps.mediaStore.remove(stored.mediaId);
      throw err;
    }
  });

  router.openapi(listRoute, (c) => {
    const { visitorId } = c.req.valid('query');
    const conversation = deps.conversations.findByIdentity('webchat', visitorId);
    if (!conversation) throw notFound('No conversation for this visitor.');
    const names = agentNames();
    const messages = deps.messages.listByConversation(conversation.id).map((m) => toWebchatMessage(m, visitorId, names));
    return c.json({ messages }, 200);
  });

  router.openapi(streamRoute, (c) => {
    const { visitorId } = c.req.valid('query');
    const lastEventId = c.req.header('last-event-id');
    return streamSSE(c, async (stream) => {
      const names = agentNames();
      const queue: string[] = [];
      let wake: (() => void) | null = null;
      const push = (data: string) => {
        queue.push(data);
        wake?.();
      };
      const unsubscribe = deps.events.on('message.created', ({ message, channel, externalId }) => {
        if (channel === 'webchat' && externalId === visitorId) push(JSON.stringify(toWebchatMessage(message, visitorId, names)));
      });
      let open = true;
      const untrack = deps.trackStream?.() ?? (() => {});
      stream.onAbort(() => {
        open = false;
        unsubscribe();
        wake?.();
      });
      const conversation = lastEventId ? deps.conversations.findByIdentity('webchat', visitorId) : null;
      if (conversation && lastEventId) {
        for (const m of deps.messages.listByConversation(conversation.id, { afterId: lastEventId })) {
          queue.unshift(JSON.stringify(toWebchatMessage(m, visitorId, names)));
        }
      }
      await stream.write(': connected\n\n');
      try {
        while (open) {
          while (queue.length > 0) {
            const data = queue.shift() as string;
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
          if (timedOut && open) await stream.write(': heartbeat\n\n');
        }
      } finally {
        unsubscribe();
        untrack();
      }
    }) as never;
  });

  router.openapi(mediaRoute, (c) => {
    const { id } = c.req.valid('param');
    const { visitorId } = c.req.valid('query');
    const media = deps.media.get(id);
    const owner = media ? deps.conversations.get(media.conversationId) : null;
    const owns = owner?.channel === 'webchat' && owner.externalId === visitorId;
    return serveMedia(deps.mediaStore, owns ? media : null) as never;
  });

  return router;
}
