import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../src/accounts/login-throttle.ts';
import { resolveClientAddress } from '../src/http/client-address.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from './support/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ PUBLIC_URL: 'https://desk.example.test' });
});
afterEach(() => t.close());

async function cookieOf(email: string): Promise<string> {
  const res = await t.request('/api/auth/login', { method: 'POST', json: { email, password: TEST_PASSWORD } });
  return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

describe('cross-site request forgery', () => {
  it('refuses a cookie-carried state change with a foreign Origin, or with neither JSON nor Origin', async () => {
    const { token } = await t.signIn('agent', 'csrf@test.local');
    const cookie = await cookieOf('csrf@test.local');
    const foreign = await t.request('/api/auth/logout', { method: 'POST', headers: { cookie, origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    const bare = await t.request('/api/auth/logout', { method: 'POST', headers: { cookie } });
    expect(bare.status).toBe(403);
    const jsonForeign = await t.request('/api/tickets/x', { method: 'PATCH', headers: { cookie, origin: 'https://evil.example' }, json: { status: 'solved' } });
    expect(jsonForeign.status).toBe(403);
    // The session survived all of it.
    expect((await t.request('/api/auth/me', { headers: { cookie } })).status).toBe(200);
    // This site's own requests, JSON ones, and Bearer tokens pass.
    expect((await t.request('/api/auth/me', { token })).status).toBe(200);
    expect((await t.request('/api/auth/logout', { method: 'POST', headers: { cookie, origin: 'https://desk.example.test' } })).status).toBe(204);
    const second = await cookieOf('csrf@test.local');
    expect((await t.request('/api/auth/logout', { method: 'POST', headers: { cookie: second }, json: {} })).status).toBe(204);
    expect((await t.request('/api/auth/logout', { method: 'POST', token })).status).toBe(204);
  });
});

describe('login throttle', () => {
  it('delays an account more after each failure instead of locking it, up to a minute', async () => {
    const throttle = new LoginThrottle(t.services.db);
    const now = 1_000_000;
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      await throttle.fail('admin@desk.local', `10.0.0.${i}`, now + i);
      waits.push(await throttle.retryAfter('admin@desk.local', '203.0.113.9', now + i));
    }
    expect(waits).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]);
    // Once the delay has passed, the owner may try again.
    expect(await throttle.retryAfter('admin@desk.local', '203.0.113.9', now + 11 + 60_000)).toBe(0);
  });

  it("does not reset an address's count when someone signs in to their own account from it", async () => {
    await t.signIn('admin', 'boss@test.local');
    await t.signIn('agent', 'mallory@test.local');
    const attempt = (email: string, password: string) => t.request('/api/auth/login', { method: 'POST', json: { email, password } });
    for (let i = 0; i < 10; i++) await attempt(`user${i}@test.local`, 'guess');
    expect((await attempt('mallory@test.local', TEST_PASSWORD)).status).toBe(429);
    const throttle = new LoginThrottle(t.services.db);
    for (let i = 0; i < 4; i++) await throttle.fail('boss@test.local', 'attacker');
    await throttle.succeed('mallory@test.local');
    await throttle.fail('boss@test.local', 'attacker');
    expect(await throttle.retryAfter('boss@test.local', 'elsewhere')).toBeGreaterThan(0);
  });

  it('reads X-Forwarded-For only through a trusted proxy (TRUST_PROXY)', async () => {
    const trusted = new Set(['10.0.0.2']);
    expect(resolveClientAddress('203.0.113.5', '1.2.3.4', trusted)).toBe('203.0.113.5');
    expect(resolveClientAddress('10.0.0.2', '198.51.100.7', trusted)).toBe('198.51.100.7');
    // A client cannot pick its address by writing the header itself: the proxy appends the real one.
    expect(resolveClientAddress('10.0.0.2', '1.2.3.4, 198.51.100.7', trusted)).toBe('198.51.100.7');
    expect(resolveClientAddress('::ffff:10.0.0.2', '198.51.100.7, 10.0.0.2', trusted)).toBe('198.51.100.7');
  });

  it('counts failures per forwarded address behind a trusted proxy, and per peer otherwise', async () => {
    const start = async (env: Record<string, string>) => {
      const app = await createTestApp(env);
      const server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: app.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const login = (email: string, forwardedFor: string) =>
        fetch(`${url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
          body: JSON.stringify({ email, password: 'wrong password' }),
        }).then((r) => r.status);
      return {
        login,
        close: async () => {
          await new Promise<void>((resolve) => server.close(() => resolve()));
          app.close();
        },
      };
    };
    const behindProxy = await start({ TRUST_PROXY: '127.0.0.1' });
    try {
      for (let i = 0; i < 10; i++) await behindProxy.login(`nobody${i}@test.local`, '198.51.100.1');
      expect(await behindProxy.login('other@test.local', '198.51.100.1')).toBe(429);
      expect(await behindProxy.login('other@test.local', '198.51.100.2')).toBe(401);
    } finally {
      await behindProxy.close();
    }
    const direct = await start({});
    try {
      for (let i = 0; i < 10; i++) await direct.login(`nobody${i}@test.local`, '198.51.100.1');
      // The header is not believed: a new value is still the same peer.
      expect(await direct.login('other@test.local', '198.51.100.2')).toBe(429);
    } finally {
      await direct.close();
    }
  });
});

describe('push subscriptions', () => {
  const keys = (n: number) => ({ p256dh: `BPublicKey${n}`.padEnd(87, 'A'), auth: `auth${n}`.padEnd(22, 'A') });
  const subscribe = (token: string, endpoint: string, n = 1) =>
    t.request('/api/push/subscriptions', { method: 'POST', token, json: { endpoint, keys: keys(n), lang: 'en' } });

  it('accepts only the browsers’ push services', async () => {
    const { token } = await t.signIn('agent');
    expect((await subscribe(token, 'https://fcm.googleapis.com/fcm/send/abc')).status).toBe(204);
    expect((await subscribe(token, 'https://updates.push.services.mozilla.com/wpush/v2/abc')).status).toBe(204);
    for (const endpoint of ['https://169.254.169.254/latest/meta-data', 'https://internal.example/push', 'https://fcm.googleapis.com.evil.example/x', 'https://fcm.googleapis.com:8443/x']) {
      const res = await subscribe(token, endpoint);
      expect(res.status, endpoint).toBe(400);
    }
    expect(await t.services.pushSubscriptions.countOf((await t.request('/api/auth/me', { token }).then((r) => r.json()) as { user: { id: string } }).user.id)).toBe(2);
  });

  it("does not let one agent take over another agent's endpoint", async () => {
    const ana = await t.signIn('agent');
    const bia = await t.signIn('agent');
    const endpoint = 'https://fcm.googleapis.com/fcm/send/ana-device';
    expect((await subscribe(ana.token, endpoint, 1)).status).toBe(204);
    expect((await subscribe(bia.token, endpoint, 2)).status).toBe(409);
    expect((await t.services.pushSubscriptions.forAgents([ana.agentId])).map((s) => s.endpoint)).toEqual([endpoint]);
    // The same browser profile (same keys) changing hands is a shared device: allowed.
    expect((await subscribe(bia.token, endpoint, 1)).status).toBe(204);
  });

  it('keeps at most 10 subscriptions per agent, dropping the oldest', async () => {
    const { token, agentId } = await t.signIn('agent');
    for (let i = 0; i < 12; i++) expect((await subscribe(token, `https://fcm.googleapis.com/fcm/send/device-${i}`, i)).status).toBe(204);
    const endpoints = (await t.services.pushSubscriptions.forAgents([agentId])).map((s) => s.endpoint);
    expect(endpoints).toHaveLength(10);
    expect(endpoints).not.toContain('https://fcm.googleapis.com/fcm/send/device-0');
    expect(endpoints).toContain('https://fcm.googleapis.com/fcm/send/device-11');
  });
});
