import { Agent, ErrorBodySchema, LoginInput, SetPasswordInput } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { DeskError, ErrorCode } from '@desk/core';
import { clientAddress } from '../http/client-address.ts';
import { createRouter } from '../http/router.ts';
import type { AgentsRepo } from './agents-repo.ts';
import { requireSession, SESSION_COOKIE } from './auth-middleware.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import type { PasswordTokens } from './password-tokens.ts';
import type { Sessions } from './sessions.ts';

export interface AuthDeps {
  agents: AgentsRepo;
  sessions: Sessions;
  throttle: LoginThrottle;
  passwordTokens: PasswordTokens;
  secureCookies: boolean;
  sessionDays: number;
}

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };
const SessionBody = z.object({ token: z.string(), user: Agent });

const loginRoute = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  summary: 'Sign in with e-mail and password',
  description: 'Answers a bearer token and sets an HttpOnly session cookie. Failed logins are throttled (429).',
  request: { body: { content: { 'application/json': { schema: LoginInput } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: SessionBody } }, description: 'Signed in' },
    400: errors,
    401: errors,
    429: errors,
  },
});

const setPasswordRoute = createRoute({
  method: 'post',
  path: '/api/auth/set-password',
  tags: ['auth'],
  summary: 'Set a password with a one-time link token, then sign in',
  request: { body: { content: { 'application/json': { schema: SetPasswordInput } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: SessionBody } }, description: 'Password set, signed in' },
    400: errors,
  },
});

const linkStateRoute = createRoute({
  method: 'post',
  path: '/api/auth/set-password/check',
  tags: ['auth'],
  summary: 'Whether a set-password link can still be used',
  description: 'Public. Lets the set-password page say at once that a link was used or has expired. The token is posted, never put in a URL.',
  request: { body: { content: { 'application/json': { schema: z.object({ token: z.string().max(200) }) } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ state: z.enum(['valid', 'used', 'expired', 'unknown']) }) } }, description: 'The link state' },
    400: errors,
  },
});

const meRoute = createRoute({
  method: 'get',
  path: '/api/auth/me',
  tags: ['auth'],
  summary: 'The signed-in agent',
  security: [{ bearer: [] }],
  responses: { 200: { content: { 'application/json': { schema: z.object({ user: Agent }) } }, description: 'OK' }, 401: errors },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['auth'],
  summary: 'Sign out (revokes this session)',
  security: [{ bearer: [] }],
  responses: { 204: { description: 'Signed out' }, 401: errors },
});

export function authRoutes(deps: AuthDeps) {
  const router = createRouter();

  const startSession = async (c: Parameters<Parameters<typeof router.openapi>[1]>[0], agentId: string) => {
    const { token } = await deps.sessions.create(agentId);
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.secureCookies,
      path: '/',
      maxAge: deps.sessionDays * 86_400,
    });
    return token;
  };

  router.openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid('json');
    const address = clientAddress(c);
    const wait = await deps.throttle.retryAfter(email, address);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      const when = wait < 60 ? `${wait} s` : `${Math.ceil(wait / 60)} min`;
      throw new DeskError(ErrorCode.tooManyRequests, `Too many failed sign-ins. Try again in ${when}.`);
    }
    const found = await deps.agents.findCredentials(email);
    const ok = await verifyPassword(password, found?.passwordHash ?? (await dummyPasswordHash()));
    if (!found || !ok || !found.passwordHash) {
      await deps.throttle.fail(email, address);
      throw new DeskError(ErrorCode.unauthenticated, 'Wrong e-mail or password.');
    }
    if (!found.agent.active) {
      throw new DeskError(ErrorCode.unauthenticated, 'This account has been deactivated.');
    }
    await deps.throttle.succeed(email);
    const token = await startSession(c, found.agent.id);
    return c.json({ token, user: found.agent }, 200);
  });

  router.openapi(linkStateRoute, async (c) => c.json({ state: await deps.passwordTokens.stateOf(c.req.valid('json').token) }, 200));

  router.openapi(setPasswordRoute, async (c) => {
    const { token, password } = c.req.valid('json');
    const state = await deps.passwordTokens.stateOf(token);
    const agentId = await deps.passwordTokens.consume(token);
    if (!agentId || !(await deps.agents.isActive(agentId))) {
      const why = state === 'used' ? 'This link was already used.' : state === 'expired' ? 'This link has expired.' : 'This link is not valid.';
      throw new DeskError(ErrorCode.invalidInput, why, { fields: { token: why } });
    }
    const user = await deps.agents.update(agentId, { passwordHash: await hashPassword(password) });
    // Whoever held the old password (or another link) is signed out.
    await deps.sessions.revokeAllOf(agentId);
    await deps.passwordTokens.voidAllOf(agentId);
    return c.json({ token: await startSession(c, agentId), user }, 200);
  });

  router.use('/api/auth/me', requireSession(deps.sessions));
  router.use('/api/auth/logout', requireSession(deps.sessions));

  router.openapi(meRoute, (c) => c.json({ user: c.var.agent }, 200));

  router.openapi(logoutRoute, async (c) => {
    await deps.sessions.revoke(c.var.sessionTokenHash);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  return router;
}
