import { can, type Permission } from '@desk/core';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { forbidden, unauthenticated } from '../http/api-error.ts';
import type { AppEnv } from '../http/app-env.ts';
import type { Sessions } from './sessions.ts';

export const SESSION_COOKIE = 'desk_session';

export function tokenOf(c: Context): string | null {
  const header = c.req.header('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim() || null;
  return getCookie(c, SESSION_COOKIE) ?? null;
}

/** Every /api route but login needs a live session: from the cookie or a Bearer token. */
export function requireSession(sessions: Sessions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = tokenOf(c);
    const session = token ? await sessions.resolve(token) : null;
    if (!session) throw unauthenticated();
    c.set('agent', session.agent);
    c.set('sessionTokenHash', session.tokenHash);
    await next();
  };
}

export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!can(c.var.agent.role, permission)) throw forbidden();
    await next();
  };
}
