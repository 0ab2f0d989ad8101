import { afterEach, describe, expect, it } from 'vitest';
import { type ChannelDesk, eventually, TELEGRAM_TOKEN } from '../support/channel-desk.ts';
import { type StandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';
import { FakeZendesk } from '../support/zendesk/fake-zendesk.ts';
import { zendeskFixture } from '../support/zendesk/zendesk-fixtures.ts';
import { type ChatUser, connectSupport, routeTalkToAPerson, startZendeskDesk, telegramUser, webchatUser } from '../support/zendesk/zendesk-desk.ts';

let zendesk: FakeZendesk;
let desk: ChannelDesk;

afterEach(async () => {
  await desk?.close({ remove: true });
  await zendesk?.close();
});

async function handedOff(options: { windowMs?: number; user?: (desk: ChannelDesk) => ChatUser; telegram?: StandIn } = {}) {
  zendesk = await FakeZendesk.start({ ...(options.windowMs && { windowMs: options.windowMs }) });
  desk = await startZendeskDesk({ zendesk, standIns: options.telegram ? { telegram: options.telegram } : {}, env: options.windowMs ? { ZENDESK_UPDATE_WINDOW_MS: String(options.windowMs) } : {} });
  await connectSupport(desk, zendesk);
  await routeTalkToAPerson(desk, 'zendesk_support');
  const user = options.user?.(desk) ?? webchatUser(desk, '7b1e2a35-9c0d-4e8f-a1b2-c3d4e5f60718');
  await user.say('I want to talk to a person');
  const ticket = await eventually(() => zendesk.ticketList()[0], 'the ticket');
  await eventually(async () => await desk.count("SELECT COUNT(*) FROM handoff_jobs WHERE kind = 'open' AND state = 'done'") === 1, 'the hand-off bookkept');
  return { user, ticket, ticketId: Number(ticket.ticket.id) };
}

describe('Zendesk webhook signature', () => {
  it('answers 401 to unsigned, stale and wrongly signed pokes and stores nothing; a valid one is read', async () => {
    const { ticketId, user } = await handedOff();
    zendesk.agentComment(ticketId, 'Reply that only a valid poke may relay');
    await eventually(async () => (await user.received()).includes('Reply that only a valid poke may relay'), 'the valid poke');
    const jobs = async () => await desk.count("SELECT COUNT(*) FROM handoff_jobs WHERE kind = 'sync'");
    const messages = async () => await desk.count('SELECT COUNT(*) FROM messages');
    const before = { jobs: await jobs(), messages: await messages() };
    const t = zendesk.tickets.get(ticketId);
    t?.comments.push({ ...(t.comments.at(-1) as NonNullable<ReturnType<typeof t.comments.at>>), id: 99_999_999, body: 'Forged reply' });
    for (const sign of ['none', 'stale', 'wrong'] as const) {
      const res = await zendesk.deliver(ticketId, sign);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();
    }
    const { url, body } = zendesk.triggerDelivery(ticketId);
    const tampered = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zendesk-webhook-signature': 'AAAA', 'x-zendesk-webhook-signature-timestamp': new Date().toISOString() }, body });
    expect(tampered.status).toBe(401);
    expect({ jobs: await jobs(), messages: await messages() }).toEqual(before);
    expect((await user.received()).includes('Forged reply')).toBe(false);
  });

  it('answers 404 while Zendesk Support is not connected', async () => {
    zendesk = await FakeZendesk.start();
    desk = await startZendeskDesk({ zendesk });
    const res = await desk.webhook('/integrations/zendesk/webhook', '{"ticket_id":"1"}', { 'x-zendesk-webhook-signature': 'x', 'x-zendesk-webhook-signature-timestamp': new Date().toISOString() });
    expect(res.status).toBe(404);
  });
});

describe('Zendesk Support errors', () => {
  it('shows Zendesk’s own description when Connect is refused, and keeps the card disconnected', async () => {
    zendesk = await FakeZendesk.start();
    desk = await startZendeskDesk({ zendesk });
    const result = await connectSupport(desk, zendesk, { oauthToken: 'revoked-token-value' });
    expect(result).toMatchObject({ ok: false, integration: { connected: false } });
    expect(result.description).toContain("Couldn't authenticate you");
    expect(result.integration.fields.find((f) => f.name === 'oauthToken')?.value).toMatch(/^••••/);
    expect(JSON.stringify(result)).not.toContain('revoked-token-value');
  });

  it('accepts an e-mail + API token pair and says it stops working on 2027-04-30', async () => {
    zendesk = await FakeZendesk.start();
    desk = await startZendeskDesk({ zendesk });
    const result = await connectSupport(desk, zendesk, { email: zendesk.options.email, apiToken: zendesk.options.apiToken });
    expect(result.ok).toBe(true);
    const view = (await (await desk.request('/api/integrations/zendesk', { token: desk.admin.token })).json()) as { support: { usesApiToken: boolean } };
    expect(view.support.usesApiToken).toBe(true);
    expect(zendesk.webhooks.size).toBe(1);
    expect(zendesk.triggers[0]?.body).toMatchObject({ actions: [{ field: 'notification_webhook' }] });
  });

  it('a refused ticket (422) puts Zendesk’s description on the card and gives the user back to the bot', async () => {
    zendesk = await FakeZendesk.start();
    desk = await startZendeskDesk({ zendesk });
    await connectSupport(desk, zendesk);
    await routeTalkToAPerson(desk, 'zendesk_support');
    zendesk.script((r) => r.method === 'POST' && r.path === '/api/v2/tickets', { status: 422, body: zendeskFixture('error-record-invalid.json') });
    const user = webchatUser(desk, '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d');
    await user.say('I want to talk to a person');
    await eventually(async () => (await desk.services.conversations.findByIdentity('webchat', user.externalId))?.mode === 'bot', 'back to the bot');
    const card = (await (await desk.request('/api/integrations/zendesk', { token: desk.admin.token })).json()) as { support: { lastError: string } };
    expect(card.support.lastError).toContain('RecordValidation errors');
    expect((await user.received()).some((t) => t.includes('RecordValidation errors'))).toBe(true);
  });

  it('falls back to a Desk ticket when the destination’s integration is disconnected', async () => {
    zendesk = await FakeZendesk.start();
    desk = await startZendeskDesk({ zendesk });
    await connectSupport(desk, zendesk);
    await routeTalkToAPerson(desk, 'zendesk_support');
    expect((await desk.request('/api/integrations/zendesk/support/disconnect', { method: 'POST', token: desk.admin.token })).status).toBe(200);
    const user = webchatUser(desk, '2b3c4d5e-6f7a-4b9c-8d0e-2f3a4b5c6d7e');
    await user.say('I want to talk to a person');
    expect(await desk.ticketOf('webchat', user.externalId)).toMatchObject({ status: 'open', priority: 'high' });
    expect((await desk.services.conversations.findByIdentity('webchat', user.externalId))?.mode).toBe('desk');
    expect(zendesk.received((r) => r.path === '/api/v2/tickets')).toHaveLength(0);
  });
});

describe('Zendesk Support limits and failures', () => {
  it('a burst of 100 user messages stays within 30 updates per window and loses none', async () => {
    // Zendesk's window is 10 minutes; here both sides use 2 s so the test sees several windows.
    const windowMs = 2_000;
    const telegram = await startTelegramStandIn(TELEGRAM_TOKEN);
    const { user, ticket, ticketId } = await handedOff({ windowMs, telegram, user: (d) => telegramUser(d, telegram, 777) }).catch(async (err) => {
      await telegram.close();
      throw err;
    });
    const texts = Array.from({ length: 100 }, (_, i) => `burst message ${i + 1}`);
    for (const text of texts) await user.say(text);
    const inComments = () => ticket.comments.filter((c) => c.public).map((c) => c.body).join('\n');
    await eventually(() => texts.every((t) => new RegExp(`^${t}$`, 'm').test(inComments())), 'every message in Zendesk', 20_000);
    for (const text of texts) expect(inComments().match(new RegExp(`^${text}$`, 'gm'))).toHaveLength(1);
    expect(zendesk.rateLimited).toBe(0);
    const updates = zendesk.updates.filter((u) => u.ticketId === ticketId).map((u) => u.at);
    for (const at of updates) expect(updates.filter((other) => other >= at && other < at + windowMs).length).toBeLessThanOrEqual(30);
    expect(updates.length).toBeLessThan(100);
    await desk.close({ remove: true });
    await telegram.close();
  });

  it('a refused comment (403) fails the user’s message with Zendesk’s description, and the next one still goes', async () => {
    const { user, ticket } = await handedOff();
    const forbidden = { error: 'Forbidden', description: 'You do not have access to this page. Please contact the account owner of this help desk for further help.' };
    zendesk.script((r) => r.method === 'PUT', { status: 403, body: forbidden });
    await user.say('this one is refused');
    const failed = await eventually(
      async () => (await desk.messagesOf('webchat', user.externalId)).find((m) => m.text === 'this one is refused' && m.delivery?.state === 'failed'),
      'the failed message',
    );
    expect(failed.delivery?.error).toContain('You do not have access to this page');
    const card = (await (await desk.request('/api/integrations/zendesk', { token: desk.admin.token })).json()) as { support: { lastError: string } };
    expect(card.support.lastError).toContain('You do not have access to this page');
    await user.say('and this one goes');
    await eventually(() => ticket.comments.some((c) => c.body === 'and this one goes'), 'the next comment');
    expect(ticket.comments.some((c) => c.body.includes('this one is refused'))).toBe(false);
  });

  it('waits as long as a 429’s Retry-After says, then sends the comment once', async () => {
    const { user, ticket } = await handedOff();
    const limited = zendeskFixture<{ body: string }>('error-rate-limited.json');
    const refused = zendesk.script((r) => r.method === 'PUT', { status: 429, text: limited.body, headers: { 'retry-after': '1' } });
    const start = Date.now();
    await user.say('after the rate limit');
    await refused;
    await eventually(() => ticket.comments.some((c) => c.body === 'after the rate limit'), 'the comment after Retry-After', 5_000);
    expect(Date.now() - start).toBeGreaterThanOrEqual(950);
    expect(ticket.comments.filter((c) => c.body === 'after the rate limit')).toHaveLength(1);
  });

  it('retries 5xx and a lost acknowledgement of the ticket create without a second ticket', async () => {
    zendesk = await FakeZendesk.start();
    desk = await startZendeskDesk({ zendesk });
    await connectSupport(desk, zendesk);
    await routeTalkToAPerson(desk, 'zendesk_support');
    const isCreate = (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/api/v2/tickets';
    zendesk.script(isCreate, { status: 503, body: { error: 'ServiceUnavailable', description: 'Try again' } });
    zendesk.script(isCreate, 'ack-then-drop');
    const user = webchatUser(desk, '3c4d5e6f-7a8b-4c0d-9e1f-3a4b5c6d7e8f');
    await user.say('I want to talk to a person');
    await eventually(async () => await desk.count("SELECT COUNT(*) FROM handoff_jobs WHERE kind = 'open' AND state = 'done'") === 1, 'the hand-off', 8_000);
    const creates = zendesk.received(isCreate);
    expect(creates.length).toBe(3);
    expect(new Set(creates.map((r) => r.headers.get('idempotency-key'))).size).toBe(1);
    expect(zendesk.tickets.size).toBe(1);
  });
});
