import { DeskError, ErrorCode } from '@desk/core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';

/** JSON APIs and the platforms' webhooks (none documents bodies near this). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Room for the multipart envelope and the text fields around a visitor's file. */
const MULTIPART_ENVELOPE = 64 * 1024;

const mb = (bytes: number) => `${Math.max(1, Math.floor(bytes / 1024 / 1024))} MB`;

/**
 * A size limit on one request body, enforced while the body is read: a declared Content-Length over
 * it is refused before reading a byte, and a chunked body is counted as the handler pulls it (hono's
 * own bodyLimit buffers a chunked body whole before the handler runs, which is what an upload must
 * not do). Over the limit: 413, whatever the handler made of the broken body.
 */
export function streamingBodyLimit(maxSize: number, message: string): MiddlewareHandler<AppEnv> {
  const tooLarge = () => new DeskError(ErrorCode.payloadTooLarge, message);
  return async (c, next) => {
    // A declared length is checked from the headers alone: reading `c.req.raw.body` first turned
    // @hono/node-server's lightweight request into a full Fetch Request with a web stream over the
    // socket, about a fifth of a webhook acknowledgement's time. Only a body of unknown length is counted as it streams.
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(declared) > maxSize) throw tooLarge();
      return next();
    }
    const body = c.req.raw.body;
    if (!body) return next();
    let size = 0;
    let exceeded = false;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          if (size > maxSize) {
            exceeded = true;
            controller.error(tooLarge());
            return;
          }
          controller.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit);
    try {
      await next();
    } catch (err) {
      throw exceeded ? tooLarge() : err;
    }
    if (exceeded) throw tooLarge();
  };
}

/** The 1 MB limit of JSON APIs and webhooks. */
export function jsonBodyLimit(): MiddlewareHandler<AppEnv> {
  return streamingBodyLimit(DEFAULT_BODY_LIMIT, `The request body is larger than ${mb(DEFAULT_BODY_LIMIT)}.`);
}

/** The limit of every route: 1 MB, and the largest file plus its envelope for web chat uploads. */
export function bodyLimits(mediaMaxBytes: number): MiddlewareHandler<AppEnv> {
  const upload = streamingBodyLimit(mediaMaxBytes + MULTIPART_ENVELOPE, `Files may be up to ${mb(mediaMaxBytes)}.`);
  const other = jsonBodyLimit();
  return (c, next) => (c.req.path === '/channels/webchat/messages' ? upload(c, next) : other(c, next));
}
