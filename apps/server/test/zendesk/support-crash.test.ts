import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebchatMessage } from '@desk/core';
import { afterEach, describe, expect, it } from 'vitest';
import { killServerProcess, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { FakeZendesk } from '../support/zendesk/fake-zendesk.ts';

const PASSWORD = 'zendesk-crash-admin-1';
const running: ChildProcess[] = [];
let zendesk: FakeZendesk | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await Promise.all(running.splice(0).map(killServerProcess));
  await zendesk?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function start(fake: FakeZendesk, dir: string): Promise<ServerProcess> {
  const server = await startServerProcess({
    DATA_DIR: dir,
    ADMIN_PASSWORD: PASSWORD,
    ZENDESK_API_URL: fake.url,
    ZENDESK_SUBDOMAIN: fake.options.subdomain,
    ZENDESK_OAUTH_TOKEN: fake.options.oauthToken,
    ZENDESK_RETRY_BASE_MS: '100',
  });
  running.push(server.child);
  fake.webhookOrigin = server.url;
  return server;
}

async function api(server: ServerProcess, token: string | null, path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(init.json !== undefined && { 'content-type': 'application/json' }), ...init.headers },
    ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const VISITOR = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';

describe('a server killed with SIGKILL during a Zendesk hand-off', () => {
  it('neither duplicates the ticket (idempotency key) nor loses the agent’s reply', async () => {
    zendesk = await FakeZendesk.start();
    dataDir = mkdtempSync(join(tmpdir(), 'desk-zendesk-crash-'));
    let server = await start(zendesk, dataDir);
    const login = await api(server, null, '/api/auth/login', { method: 'POST', json: { email: 'admin@desk.local', password: PASSWORD } });
    const token = login.body.token as string;
    expect((await api(server, token, '/api/integrations/zendesk/support/connect', { method: 'POST' })).body.ok).toBe(true);
    const created = await api(server, token, '/api/intents', {
      method: 'POST',
      json: {
        name: 'Talk to a person',
        phrases: ['I want to talk to a person', 'talk to a human', 'speak with an agent', 'I need a human'],
        answers: ['Connecting you to a person.'],
        desk: { enabled: true, agentId: null, status: 'open', priority: 'normal', destination: 'zendesk_support' },
      },
    });
    expect(created.status).toBe(201);
    // The visitor's first message answers their token; later calls send it.
    let visitorToken: string | null = null;
    const asVisitor = (): Record<string, string> => (visitorToken ? { 'x-visitor-token': visitorToken } : {});
    const say = async (s: ServerProcess, text: string) => {
      const res = await api(s, null, '/channels/webchat/messages', { method: 'POST', json: visitorToken ? { text } : { visitorId: VISITOR, text }, headers: asVisitor() });
      if (typeof res.body.visitorToken === 'string') visitorToken = res.body.visitorToken;
      return res;
    };
    const seen = async (s: ServerProcess) => ((await api(s, null, '/channels/webchat/messages', { headers: asVisitor() })).body.messages as WebchatMessage[]).map((m) => m.text);

    // Zendesk creates the ticket, and the process dies before Desk records it.
    const isCreate = (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/api/v2/tickets';
    const createdInZendesk = zendesk.script(isCreate, 'ack-then-hang');
    await expect.poll(async () => (await say(server, 'I want to talk to a person')).status, { timeout: 15_000 }).toBe(201);
    await createdInZendesk;
    expect(zendesk.tickets.size).toBe(1);
    await killServerProcess(server.child);

    server = await start(zendesk, dataDir);
    await expect.poll(async () => (await seen(server)).some((t) => t.includes('acme.zendesk.com/agent/tickets/')), { timeout: 15_000 }).toBe(true);
    const creates = zendesk.received(isCreate);
    expect(creates).toHaveLength(2);
    expect(creates[1]?.headers.get('idempotency-key')).toBe(creates[0]?.headers.get('idempotency-key'));
    expect(zendesk.tickets.size).toBe(1);
    const ticketId = Number(zendesk.ticketList()[0]?.ticket.id);

    // The agent answers; Desk has acknowledged the poke and is reading the comments when it dies.
    const reading = zendesk.script((r) => r.path === `/api/v2/tickets/${ticketId}/comments`, 'hang');
    expect((await zendesk.agentComment(ticketId, 'Zoe here: we are on it.'))?.status).toBe(200);
    await reading;
    await killServerProcess(server.child);

    server = await start(zendesk, dataDir);
    await expect.poll(async () => (await seen(server)).filter((t) => t === 'Zoe here: we are on it.').length, { timeout: 15_000 }).toBe(1);
    // A repeated poke relays nothing twice.
    expect((await zendesk.deliver(ticketId)).status).toBe(200);
    await expect.poll(() => zendesk?.received((r) => r.path === `/api/v2/tickets/${ticketId}/comments`).length ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => zendesk?.received((r) => r.path === `/api/v2/tickets/${ticketId}`).length ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect((await seen(server)).filter((t) => t === 'Zoe here: we are on it.')).toHaveLength(1);
  }, 90_000);
});
