import { DeskError, ErrorCode } from '@desk/core';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './app-env.ts';

/** JSON APIs and the platforms' webhooks (none documents bodies near this). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Room for the multipart envelope and the text fields around a visitor's file. */
const MULTIPART_ENVELOPE = 64 * 1024;

const mb = (bytes: number) => `${Math.max(1, Math.floor(bytes / 1024 / 1024))} MB`;

/**
 * A size limit on every request body, enforced while the body is read (a declared Content-Length
 * over it is refused before reading a byte): a webhook's signature check or a multipart parser never
 * reads more than the limit. Over it: 413.
 */
export function bodyLimits(mediaMaxBytes: number): MiddlewareHandler<AppEnv> {
  const tooLarge = (limit: number, what: string) => () => {
    throw new DeskError(ErrorCode.payloadTooLarge, `${what} ${mb(limit)}.`);
  };
  const upload = bodyLimit({ maxSize: mediaMaxBytes + MULTIPART_ENVELOPE, onError: tooLarge(mediaMaxBytes, 'Files may be up to') });
  const other = bodyLimit({ maxSize: DEFAULT_BODY_LIMIT, onError: tooLarge(DEFAULT_BODY_LIMIT, 'The request body is larger than') });
  return (c, next) => (c.req.path === '/channels/webchat/messages' ? upload(c, next) : other(c, next));
}
