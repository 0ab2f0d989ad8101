import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from './support/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const me = (token: string) => t.request('/api/auth/me', { token }).then((r) => r.status);

async function login(email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await t.request('/api/auth/login', { method: 'POST', json: { email, password } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

/** Reads an event stream until the server ends it. */
async function readToEnd(res: Response): Promise<string> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += decoder.decode(value);
  }
}

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, pattern: RegExp): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  while (!pattern.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ${pattern}`);
    text += decoder.decode(value);
  }
  return text;
}

describe('a new password', () => {
  it('set by an admin signs out every session of that agent', async () => {
    const admin = await t.signIn('admin');
    const agent = await t.signIn('agent', 'victim@test.local');
    const second = await login('victim@test.local');
    const res = await t.request(`/api/agents/${agent.agentId}`, { method: 'PATCH', token: admin.token, json: { password: 'a fresh password' } });
    expect(res.status).toBe(200);
    expect([await me(agent.token), await me(second)]).toEqual([401, 401]);
    expect(await me(admin.token)).toBe(200);
    await login('victim@test.local', 'a fresh password');
  });

  it('an admin changing their own keeps this session and ends the others', async () => {
    const admin = await t.signIn('admin', 'self@test.local');
    const elsewhere = await login('self@test.local');
    const res = await t.request(`/api/agents/${admin.agentId}`, { method: 'PATCH', token: admin.token, json: { password: 'my new password' } });
    expect(res.status).toBe(200);
    expect([await me(admin.token), await me(elsewhere)]).toEqual([200, 401]);
  });

  it('set through a link signs out the old sessions, and every other link of that agent stops working', async () => {
    const agent = await t.signIn('agent', 'linked@test.local');
    const first = await t.services.passwordTokens.issue(agent.agentId);
    const second = await t.services.passwordTokens.issue(agent.agentId);
    const set = await t.request('/api/auth/set-password', { method: 'POST', json: { token: first, password: 'chosen by me' } });
    expect(set.status).toBe(200);
    const { token } = (await set.json()) as { token: string };
    expect([await me(agent.token), await me(token)]).toEqual([401, 200]);
    const reuse = await t.request('/api/auth/set-password', { method: 'POST', json: { token: second, password: 'chosen by someone' } });
    expect(reuse.status).toBe(400);
    await login('linked@test.local', 'chosen by me');
  });
});

describe('the sync stream', () => {
  it('closes when the agent is deactivated', async () => {
    const admin = await t.signIn('admin');
    const agent = await t.signIn('agent');
    const stream = await t.request('/api/sync/stream', { token: agent.token });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    // A new stream is poked with the current cursor first.
    await readUntil(reader, /event: poke/);
    await t.request(`/api/agents/${agent.agentId}`, { method: 'PATCH', token: admin.token, json: { active: false } });
    // The deactivation's own change would poke a live stream: this one ends instead.
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).not.toMatch(/event: poke/);
  });

  it('closes on logout and on a new password, and keeps other agents’ streams open', async () => {
    const admin = await t.signIn('admin');
    const agent = await t.signIn('agent', 'streamer@test.local');
    const other = await t.signIn('agent');
    const byLogout = await t.request('/api/sync/stream', { token: agent.token });
    const second = await login('streamer@test.local');
    const byPassword = await t.request('/api/sync/stream', { token: second });
    const untouched = await t.request('/api/sync/stream', { token: other.token });
    const untouchedReader = (untouched.body as ReadableStream<Uint8Array>).getReader();
    await readUntil(untouchedReader, /event: poke/);

    expect((await t.request('/api/auth/logout', { method: 'POST', token: agent.token })).status).toBe(204);
    expect(await readToEnd(byLogout)).toMatch(/event: hello/);
    await t.request(`/api/agents/${agent.agentId}`, { method: 'PATCH', token: admin.token, json: { password: 'another password' } });
    expect(await readToEnd(byPassword)).toMatch(/event: hello/);
    // The other agent's stream is still open: it is poked by the password change.
    await readUntil(untouchedReader, /event: poke/);
    await untouchedReader.cancel();
  });

  it('is capped per agent: one stream too many gets 429', async () => {
    const agent = await t.signIn('agent');
    const open: Response[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await t.request('/api/sync/stream', { token: agent.token });
      expect(res.status).toBe(200);
      open.push(res);
    }
    const refused = await t.request('/api/sync/stream', { token: agent.token });
    expect(refused.status).toBe(429);
    await open[0]?.body?.cancel();
    await expect.poll(async () => {
      const res = await t.request('/api/sync/stream', { token: agent.token });
      if (res.status === 200) open.push(res);
      return res.status;
    }).toBe(200);
    for (const res of open) await res.body?.cancel();
  });
});
