import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from './support/test-app.ts';
import { rawRow } from './support/raw-sql.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('sign in', () => {
  it('answers a token and the user, and sets an HttpOnly SameSite session cookie', async () => {
    await t.signIn('admin', 'boss@test.local');
    const res = await t.request('/api/auth/login', { method: 'POST', json: { email: 'Boss@Test.local ', password: TEST_PASSWORD } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; user: Record<string, unknown> };
    expect(body.token).toMatch(/^[\w-]{40,}$/);
    expect(body.user).toMatchObject({ email: 'boss@test.local', role: 'admin', active: true });
    expect(body.user).not.toHaveProperty('passwordHash');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/desk_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const me = await t.request('/api/auth/me', { headers: { cookie: cookie.split(';')[0] as string } });
    expect(await me.json()).toMatchObject({ user: { email: 'boss@test.local' } });
  });

  it('refuses a wrong password with 401 and throttles repeated failures with 429', async () => {
    await t.signIn('agent', 'guess@test.local');
    for (let i = 0; i < 5; i++) {
      const res = await t.request('/api/auth/login', { method: 'POST', json: { email: 'guess@test.local', password: 'nope' } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: 'Wrong e-mail or password.' } });
    }
    const blocked = await t.request('/api/auth/login', { method: 'POST', json: { email: 'guess@test.local', password: TEST_PASSWORD } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('stores passwords only as slow scrypt hashes', async () => {
    const { agentId } = await t.signIn('agent');
    const row = await rawRow(t.services.db, 'SELECT password_hash FROM agents WHERE id = ?', agentId) as { password_hash: string };
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.password_hash).not.toContain(TEST_PASSWORD);
  });

  it('gives field-level messages for invalid input and 400 for malformed JSON', async () => {
    const invalid = await t.request('/api/auth/login', { method: 'POST', json: { email: 'not-an-email' } });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(body.error.code).toBe('invalid_input');
    expect(Object.keys(body.error.fields).sort()).toEqual(['email', 'password']);

    const malformed = await t.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'malformed_json' } });

    const wrongType = await t.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(wrongType.status).toBe(415);
  });

  it('refuses oversized bodies with 413', async () => {
    const res = await t.request('/api/auth/login', {
      method: 'POST',
      json: { email: 'a@b.c', password: 'x'.repeat(1_100_000) },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });
});

describe('sessions', () => {
  it('are required by every API route but login, and accept Bearer tokens', async () => {
    expect((await t.request('/api/agents')).status).toBe(401);
    expect((await t.request('/api/auth/me')).status).toBe(401);
    expect((await t.request('/api/agents', { token: 'forged' })).status).toBe(401);
    const { token } = await t.signIn('agent');
    expect((await t.request('/api/agents', { token })).status).toBe(200);
  });

  it('are revoked by logout', async () => {
    const { token } = await t.signIn('agent');
    expect((await t.request('/api/auth/logout', { method: 'POST', token })).status).toBe(204);
    expect((await t.request('/api/auth/me', { token })).status).toBe(401);
  });

  it('end when an agent is deactivated, who then cannot sign in', async () => {
    const admin = await t.signIn('admin');
    const agent = await t.signIn('agent', 'leaver@test.local');
    const res = await t.request(`/api/agents/${agent.agentId}`, { method: 'PATCH', token: admin.token, json: { active: false } });
    expect(res.status).toBe(200);
    expect((await t.request('/api/auth/me', { token: agent.token })).status).toBe(401);
    const login = await t.request('/api/auth/login', { method: 'POST', json: { email: 'leaver@test.local', password: TEST_PASSWORD } });
    expect(login.status).toBe(401);
    expect(await login.json()).toMatchObject({ error: { message: expect.stringMatching(/deactivated/) } });
  });
});

describe('roles', () => {
  it('let agents read the team but answer 403 on admin routes', async () => {
    const agent = await t.signIn('agent');
    expect((await t.request('/api/agents', { token: agent.token })).status).toBe(200);
    const create = await t.request('/api/agents', { method: 'POST', token: agent.token, json: { name: 'X', email: 'x@test.local' } });
    expect(create.status).toBe(403);
    expect(await create.json()).toMatchObject({ error: { code: 'forbidden' } });
    const patch = await t.request(`/api/agents/${agent.agentId}`, { method: 'PATCH', token: agent.token, json: { role: 'admin' } });
    expect(patch.status).toBe(403);
    expect((await t.services.agents.get(agent.agentId))?.role).toBe('agent');
  });

  it('let admins invite agents with a one-time set-password link', async () => {
    const admin = await t.signIn('admin');
    const res = await t.request('/api/agents', { method: 'POST', token: admin.token, json: { name: 'New Agent', email: 'new@test.local' } });
    expect(res.status).toBe(201);
    const { setPasswordUrl } = (await res.json()) as { setPasswordUrl: string };
    const token = setPasswordUrl.split('#token=')[1] as string;
    const set = await t.request('/api/auth/set-password', { method: 'POST', json: { token, password: 'a brand new secret' } });
    expect(set.status).toBe(200);
    const again = await t.request('/api/auth/set-password', { method: 'POST', json: { token, password: 'another secret!' } });
    expect(again.status).toBe(400);
    const login = await t.request('/api/auth/login', { method: 'POST', json: { email: 'new@test.local', password: 'a brand new secret' } });
    expect(login.status).toBe(200);
  });

  it('keep the last active admin', async () => {
    const admin = await t.signIn('admin');
    const res = await t.request(`/api/agents/${admin.agentId}`, { method: 'PATCH', token: admin.token, json: { active: false } });
    expect(res.status).toBe(409);
    expect((await t.services.agents.get(admin.agentId))?.active).toBe(true);
  });

  it('refuse a duplicate e-mail with 409', async () => {
    const admin = await t.signIn('admin', 'dup@test.local');
    const res = await t.request('/api/agents', { method: 'POST', token: admin.token, json: { name: 'Dup', email: 'DUP@test.local', password: 'long enough' } });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'conflict', fields: { email: expect.any(String) } } });
  });
});
