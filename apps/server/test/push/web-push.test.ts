import { createECDH, randomBytes, randomUUID } from 'node:crypto';
// @ts-expect-error http_ece ships no types; it is the reference implementation of RFC 8188 that web-push itself uses.
import ece from 'http_ece';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPushService } from '../support/push-service-stand-in.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** A browser's side of a push subscription: its P-256 key pair and auth secret. */
function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16).toString('base64url');
  return { ecdh, auth, p256dh: ecdh.getPublicKey().toString('base64url') };
}

function decrypt(body: Buffer, keys: ReturnType<typeof browserKeys>): { title: string; body: string; url: string; tag: string } {
  const plain = ece.decrypt(body, { version: 'aes128gcm', privateKey: keys.ecdh, authSecret: keys.auth }) as Buffer;
  return JSON.parse(plain.toString('utf8'));
}

function jwtClaims(authorization: string): { aud: string; exp: number; sub: string } {
  const token = /vapid t=([^,]+)/.exec(authorization)?.[1] ?? '';
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

let t: TestApp;
let pushService: Awaited<ReturnType<typeof startPushService>>;
let status = 201;
beforeEach(async () => {
  status = 201;
  pushService = await startPushService(() => status);
  t = await createTestApp({ PUSH_INSECURE_TLS_FOR_TESTS: '1', PUSH_SERVICE_ORIGINS: pushService.origin, VAPID_SUBJECT: 'mailto:ops@desk.test' });
});
afterEach(async () => {
  t.close();
  await pushService.close();
});

async function subscribe(token: string, lang: 'en' | 'pt-BR' | 'es' = 'en') {
  const keys = browserKeys();
  const endpoint = `${pushService.origin}/push/${randomUUID()}`;
  const res = await t.request('/api/push/subscriptions', { method: 'POST', token, json: { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth }, lang } });
  expect(res.status).toBe(204);
  return { keys, endpoint };
}

const handOff = (visitorId: string) =>
  t.request('/channels/webchat/messages', { method: 'POST', json: { visitorId, text: 'I need to talk to a person' } });

/** An intent that hands the conversation to the team (a new unassigned ticket). */
async function withHandOffIntent() {
  await t.services.intents.create({
    name: 'Human',
    phrases: ['I need to talk to a person'],
    answers: ['Calling an agent.'],
    desk: { enabled: true, agentId: null, status: 'new', priority: 'normal' },
  });
  await t.services.retrainBot();
}

describe('web push', () => {
  it('tells every agent of a new unassigned ticket, encrypted for their device and signed with VAPID', async () => {
    await t.services.intents.create({
      name: 'Human',
      phrases: ['I need to talk to a person', 'talk to a human'],
      answers: ['Calling an agent.'],
      desk: { enabled: true, agentId: null, status: 'new', priority: 'normal' },
    });
    await t.services.retrainBot();
    const ana = await t.signIn('agent');
    const bia = await t.signIn('agent');
    const anaDevice = await subscribe(ana.token, 'pt-BR');
    const biaDevice = await subscribe(bia.token, 'en');
    const { publicKey } = (await (await t.request('/api/push/public-key', { token: ana.token })).json()) as { publicKey: string };

    expect((await handOff(randomUUID())).status).toBe(201);
    await t.services.push.flush();

    const pushes = pushService.received;
    const toAna = pushes.filter((p) => anaDevice.endpoint.endsWith(p.path));
    const toBia = pushes.filter((p) => biaDevice.endpoint.endsWith(p.path));
    expect(toAna.length).toBeGreaterThan(0);
    expect(toBia.length).toBeGreaterThan(0);
    for (const push of pushes) {
      expect(push.headers['content-encoding']).toBe('aes128gcm');
      expect(push.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${publicKey}$`));
      expect(jwtClaims(String(push.headers.authorization))).toMatchObject({ aud: pushService.origin, sub: 'mailto:ops@desk.test' });
      expect(Number(push.headers.ttl)).toBeGreaterThan(0);
    }
    const titlesForAna = toAna.map((p) => decrypt(p.body, anaDevice.keys).title);
    const titlesForBia = toBia.map((p) => decrypt(p.body, biaDevice.keys).title);
    expect(titlesForAna).toContainEqual(expect.stringMatching(/^Novo ticket #\d+$/));
    expect(titlesForBia).toContainEqual(expect.stringMatching(/^New ticket #\d+$/));
    const ticket = (await t.services.tickets.list({ statuses: [], priorities: [], assignees: [], text: '' }, { limit: 1, offset: 0 })).tickets[0];
    expect(decrypt(toBia[0]?.body as Buffer, biaDevice.keys)).toMatchObject({ url: `/tickets?ticket=${ticket?.id}`, tag: `ticket-${ticket?.id}` });
  });

  it('reads no agent for a hand-off while no device is subscribed, and tells the first device subscribed after it', async () => {
    await withHandOffIntent();
    const ana = await t.signIn('agent');
    const agentReads = vi.spyOn(t.services.agents, 'list');
    try {
      expect((await handOff(randomUUID())).status).toBe(201);
      await t.services.push.flush();
      // Nobody to notify: planning stopped before reading the agents (and the ticket) for it.
      expect(agentReads).not.toHaveBeenCalled();
      expect(pushService.received).toHaveLength(0);

      const device = await subscribe(ana.token, 'en');
      expect((await handOff(randomUUID())).status).toBe(201);
      await t.services.push.flush();
      const titles = pushService.received.filter((p) => device.endpoint.endsWith(p.path)).map((p) => decrypt(p.body, device.keys).title);
      expect(titles).toContainEqual(expect.stringMatching(/^New ticket #\d+$/));
    } finally {
      agentReads.mockRestore();
    }
  });

  it('tells an agent who is assigned a ticket by someone else, never the actor', async () => {
    await withHandOffIntent();
    await handOff(randomUUID());
    const ticket = (await t.services.tickets.list({ statuses: [], priorities: [], assignees: [], text: '' }, { limit: 1, offset: 0 })).tickets[0];
    const lead = await t.signIn('admin');
    const ana = await t.signIn('agent');
    const leadDevice = await subscribe(lead.token);
    const anaDevice = await subscribe(ana.token);
    await t.services.push.flush();
    const before = pushService.received.length;

    const res = await t.request(`/api/tickets/${ticket?.id}`, { method: 'PATCH', token: lead.token, json: { assigneeId: ana.agentId } });
    expect(res.status).toBe(200);
    await t.services.push.flush();
    const pushes = pushService.received.slice(before);
    expect(pushes.map((p) => p.path)).toEqual([new URL(anaDevice.endpoint).pathname]);
    expect(decrypt(pushes[0]?.body as Buffer, anaDevice.keys).title).toBe(`#${ticket?.number} was assigned to you`);
    expect(pushes.some((p) => leadDevice.endpoint.endsWith(p.path))).toBe(false);
  });

  it('forgets a subscription the push service says is gone', async () => {
    await withHandOffIntent();
    const ana = await t.signIn('agent');
    await subscribe(ana.token);
    status = 410;
    await handOff(randomUUID());
    await t.services.push.flush();
    expect(pushService.received.length).toBeGreaterThan(0);
    expect(await t.services.pushSubscriptions.forAgents([ana.agentId])).toEqual([]);
  });

  it('refuses endpoints that are not https and needs a session', async () => {
    const ana = await t.signIn('agent');
    const keys = browserKeys();
    const res = await t.request('/api/push/subscriptions', {
      method: 'POST',
      token: ana.token,
      json: { endpoint: 'http://push.example/abc', keys: { p256dh: keys.p256dh, auth: keys.auth } },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { fields: { endpoint: expect.any(String) } } });
    expect((await t.request('/api/push/public-key')).status).toBe(401);
  });
  it('tells an agent an internal note mentions them, on a ticket assigned to someone else; the author hears nothing of it', async () => {
    await withHandOffIntent();
    const ana = await t.signIn('agent');
    const bia = await t.signIn('agent');
    const visitorId = randomUUID();
    await handOff(visitorId);
    const ticketId = (await t.services.conversations.findByIdentity('webchat', visitorId))?.activeTicketId as string;
    const assigned = await t.request(`/api/tickets/${ticketId}`, { method: 'PATCH', token: ana.token, json: { assigneeId: ana.agentId } });
    expect(assigned.status).toBe(200);
    const anaDevice = await subscribe(ana.token);
    const biaDevice = await subscribe(bia.token, 'es');
    await t.services.push.flush();
    pushService.received.length = 0;

    const biaName = (await t.services.agents.get(bia.agentId))?.name as string;
    const text = `@${biaName.replace(' ', '.')} can you call this customer?`;
    const pushed = await t.request('/api/sync/push', {
      method: 'POST',
      token: ana.token,
      json: { clientId: randomUUID(), mutations: [{ id: 1, name: 'ticket.note', args: { ticketId, messageId: randomUUID(), text } }] },
    });
    expect(((await pushed.json()) as { results: { status: string }[] }).results[0]?.status).toBe('applied');
    await t.services.push.flush();

    const toBia = pushService.received.filter((p) => biaDevice.endpoint.endsWith(p.path)).map((p) => decrypt(p.body, biaDevice.keys));
    const anaName = (await t.services.agents.get(ana.agentId))?.name as string;
    const number = (await t.services.tickets.get(ticketId))?.number;
    expect(toBia).toEqual([{ title: `${anaName} te mencionó en #${number}`, body: text, url: `/tickets?ticket=${encodeURIComponent(ticketId)}`, tag: `ticket-${ticketId}` }]);
    expect(pushService.received.filter((p) => anaDevice.endpoint.endsWith(p.path))).toEqual([]);
  });
});
