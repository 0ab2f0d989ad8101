import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../accounts/auth-middleware.ts';
import { forbidden } from './api-error.ts';
import type { AppEnv } from './app-env.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cross-site request forgery: a browser sends the session cookie with a request another site
 * makes. Such a request can't carry `Content-Type: application/json` (that needs a CORS preflight
 * Desk never grants) and carries the other site's Origin. So a state-changing request authenticated
 * by the cookie needs a matching Origin, or, without an Origin header, a JSON body. A Bearer token is
 * never sent by the browser on its own: those requests pass.
 */
export function refuseCrossSiteRequests(publicUrl: string): MiddlewareHandler<AppEnv> {
  const publicOrigin = new URL(publicUrl).origin;
  return async (c, next) => {
    if (!STATE_CHANGING.has(c.req.method)) return next();
    if (c.req.header('authorization')?.toLowerCase().startsWith('bearer ')) return next();
    if (!getCookie(c, SESSION_COOKIE)) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      if (origin === publicOrigin || origin === new URL(c.req.url).origin) return next();
      throw forbidden('Cross-site request refused: this request came from another website.');
    }
    const type = c.req.header('content-type') ?? '';
    if (c.req.raw.body !== null && /^application\/json\b/i.test(type)) return next();
    throw forbidden('Cross-site request refused: send JSON, or the Origin header of this site.');
  };
}
