import type { Contact, Intent, Message, Ticket } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDesk, must, sampleIntents, type TestDesk, withIntents } from './support/desk-fixture.ts';

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk();
  await withIntents(t, sampleIntents());
});
afterEach(() => t.close());

type ErrorBody = { error: { code: string; message: string; rule?: string; fields?: Record<string, string> } };
const json = async <T>(res: Response) => (await res.json()) as T;
const handOff = async (externalId: string, text = 'I want to talk to a person', name?: string) =>
  must((await t.services.engine.handleInbound({ channel: 'webchat', externalId, text, profile: { name: name ?? null } })).ticket);

describe('tickets', () => {
  it('lists with requester and last message, filtered by status, priority, assignee (me, none, ids) and text', async () => {
    const a = await handOff('v-a', 'I want to talk to a person', 'Maria Silva');
    const b = await handOff('v-b', 'I was charged twice on my card', 'John Doe');
    await t.services.ticketService.changeTicket(b.id, { assigneeId: t.agent.id }, t.agent.id);

    const all = await json<{ tickets: (Ticket & { requester: { name: string }; lastMessage: { text: string } })[]; total: number }>(
      await t.request('/api/tickets'),
    );
    expect(all.total).toBe(2);
    expect(all.tickets[0]).toMatchObject({ id: b.id, requester: { name: 'John Doe' } });
    expect(all.tickets[1]?.lastMessage?.text).toBe('Sure! I am passing you to an agent.');

    const ids = async (query: string) => (await json<{ tickets: Ticket[] }>(await t.request(`/api/tickets?${query}`))).tickets.map((x) => x.id);
    expect(await ids('assignee=me')).toEqual([b.id]);
    expect(await ids('assignee=none')).toEqual([a.id]);
    expect(await ids(`assignee=none,${t.agent.id}`)).toHaveLength(2);
    expect(await ids('status=open')).toEqual([b.id]);
    expect(await ids('status=new,open&priority=normal')).toEqual([a.id]);
    expect(await ids('q=maria')).toEqual([a.id]);
    expect(await ids('q=charged')).toEqual([b.id]);
    expect(await ids(`q=%23${a.number}`)).toEqual([a.id]);
    expect((await t.request('/api/tickets?status=closed')).status).toBe(400);
  });

  it('gets one ticket and its messages, 404 for unknown ids, 401 without a session', async () => {
    const ticket = await handOff('v-1');
    expect((await json<{ ticket: Ticket }>(await t.request(`/api/tickets/${ticket.id}`))).ticket.id).toBe(ticket.id);
    const { messages } = await json<{ messages: Message[] }>(await t.request(`/api/tickets/${ticket.id}/messages`));
    expect(messages.map((m) => m.authorKind)).toEqual(['user', 'bot']);
    expect((await t.request('/api/tickets/nope')).status).toBe(404);
    expect((await t.request('/api/tickets', { token: null })).status).toBe(401);
  });

  it('PATCH applies the rules: 422 with the rule name, 409 on conflicts, 400 on invalid input', async () => {
    const ticket = await handOff('v-1');
    const ok = await t.request(`/api/tickets/${ticket.id}`, { method: 'PATCH', json: { assigneeId: t.other.id, priority: 'urgent', tags: ['VIP Customer'] } });
    expect(ok.status).toBe(200);
    expect((await json<{ ticket: Ticket }>(ok)).ticket).toMatchObject({ status: 'open', priority: 'urgent', assigneeId: t.other.id, tags: ['vip-customer'] });

    const back = await t.request(`/api/tickets/${ticket.id}`, { method: 'PATCH', json: { status: 'new' } });
    expect(back.status).toBe(422);
    expect((await json<ErrorBody>(back)).error).toMatchObject({ code: 'rule_violated', rule: 'ticket.status.no_return_to_new' });

    const inactive = await t.request(`/api/tickets/${ticket.id}`, { method: 'PATCH', json: { assigneeId: 'ghost' } });
    expect((await json<ErrorBody>(inactive)).error.rule).toBe('ticket.assignee.must_be_active');

    expect((await t.request(`/api/tickets/${ticket.id}`, { method: 'PATCH', json: {} })).status).toBe(400);
    expect((await t.request(`/api/tickets/${ticket.id}`, { method: 'PATCH', json: { priority: 'whenever' } })).status).toBe(400);
    const malformed = await t.request(`/api/tickets/${ticket.id}`, { method: 'PATCH', body: '{"status":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((await json<ErrorBody>(malformed)).error.code).toBe('malformed_json');

    await t.request(`/api/tickets/${ticket.id}`, { method: 'PATCH', json: { status: 'solved' } });
    await handOff('v-1', 'I need a human again');
    const reopen = await t.request(`/api/tickets/${ticket.id}`, { method: 'PATCH', json: { status: 'open' } });
    expect(reopen.status).toBe(409);
  });

  it('POST messages replies once per messageId, refuses files (422 text_only) and solved tickets', async () => {
    const ticket = await handOff('v-1');
    const messageId = crypto.randomUUID();
    const first = await t.request(`/api/tickets/${ticket.id}/messages`, { method: 'POST', json: { text: 'Hello from Ana', messageId } });
    expect(first.status).toBe(201);
    expect((await json<{ message: Message }>(first)).message).toMatchObject({ id: messageId, authorKind: 'agent', agentId: t.agent.id });
    const again = await t.request(`/api/tickets/${ticket.id}/messages`, { method: 'POST', json: { text: 'Hello from Ana', messageId } });
    expect(again.status).toBe(200);

    const withFile = await t.request(`/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      json: { text: 'see attached', attachments: [{ name: 'x.pdf' }] },
    });
    expect(withFile.status).toBe(422);
    expect((await json<ErrorBody>(withFile)).error).toMatchObject({ rule: 'ticket.reply.text_only', message: expect.stringMatching(/^Media can't be sent from the Desk/) });

    const form = new FormData();
    form.set('text', 'see attached');
    form.set('file', new File(['x'], 'x.pdf', { type: 'application/pdf' }));
    const multipart = await t.request(`/api/tickets/${ticket.id}/messages`, { method: 'POST', body: form });
    expect(multipart.status).toBe(422);
    expect((await json<ErrorBody>(multipart)).error.rule).toBe('ticket.reply.text_only');
    expect((await t.request(`/api/tickets/${ticket.id}/messages`, { method: 'POST', body: form, token: null })).status).toBe(401);

    expect((await t.request(`/api/tickets/${ticket.id}/messages`, { method: 'POST', json: { text: '' } })).status).toBe(400);
    await t.request(`/api/tickets/${ticket.id}`, { method: 'PATCH', json: { status: 'solved' } });
    const late = await t.request(`/api/tickets/${ticket.id}/messages`, { method: 'POST', json: { text: 'late' } });
    expect(late.status).toBe(422);
    expect((await json<ErrorBody>(late)).error.rule).toBe('ticket.reply.needs_active_ticket');
  });
});

describe('intents', () => {
  const input = { name: 'Refunds', phrases: ['I want a refund', 'quero meu dinheiro de volta'], answers: ['We will refund you.'] };

  it('agents read, only admins create, change and delete (403)', async () => {
    expect((await t.request('/api/intents')).status).toBe(200);
    expect((await t.request('/api/intents', { method: 'POST', json: input })).status).toBe(403);
    const created = await t.request('/api/intents', { method: 'POST', json: input, token: t.admin.token });
    expect(created.status).toBe(201);
    const { intent } = await json<{ intent: Intent }>(created);
    expect(intent.desk).toEqual({ enabled: false, agentId: null, status: 'new', priority: 'normal', destination: 'desk', zendeskGroupId: null });
    expect((await t.request(`/api/intents/${intent.id}`)).status).toBe(200);
    expect((await t.request(`/api/intents/${intent.id}`, { method: 'PATCH', json: { name: 'X' } })).status).toBe(403);
    expect((await t.request(`/api/intents/${intent.id}`, { method: 'DELETE' })).status).toBe(403);

    const patched = await t.request(`/api/intents/${intent.id}`, { method: 'PATCH', json: { desk: { enabled: true, priority: 'high' } }, token: t.admin.token });
    expect((await json<{ intent: Intent }>(patched)).intent.desk).toMatchObject({ enabled: true, priority: 'high', status: 'new' });
    expect((await t.request(`/api/intents/${intent.id}`, { method: 'DELETE', token: t.admin.token })).status).toBe(204);
    expect((await t.request(`/api/intents/${intent.id}`)).status).toBe(404);
  });

  it('answers 400 with fields, 409 on a duplicate name, and retrains the bot after a change', async () => {
    const bad = await t.request('/api/intents', { method: 'POST', json: { name: '', phrases: [] }, token: t.admin.token });
    expect(bad.status).toBe(400);
    expect(Object.keys((await json<ErrorBody>(bad)).error.fields ?? {})).toEqual(expect.arrayContaining(['name', 'phrases']));
    const dup = await t.request('/api/intents', { method: 'POST', json: { ...input, name: 'greeting' }, token: t.admin.token });
    expect(dup.status).toBe(409);

    await t.request('/api/intents', { method: 'POST', json: input, token: t.admin.token });
    await t.services.nlu.whenIdle();
    const reading = await t.services.nlu.read('can I get a refund please');
    expect(reading.intent?.name).toBe('Refunds');
  });
});

describe('contacts', () => {
  it('agents read, admins write; duplicate phones are 409 with the holder id; invalid phones 400', async () => {
    expect((await t.request('/api/contacts', { method: 'POST', json: { name: 'Ana' } })).status).toBe(403);
    const created = await t.request('/api/contacts', {
      method: 'POST',
      json: { name: 'Maria', phone: '+55 11 91234-5678', designatedAgentId: t.agent.id },
      token: t.admin.token,
    });
    expect(created.status).toBe(201);
    const { contact } = await json<{ contact: Contact }>(created);
    expect(contact).toMatchObject({ phone: '+5511912345678', designatedAgentId: t.agent.id, identities: [] });

    const dup = await t.request('/api/contacts', { method: 'POST', json: { name: 'Other', phone: '+5511912345678' }, token: t.admin.token });
    expect(dup.status).toBe(409);
    const body = await json<ErrorBody>(dup);
    expect(body.error.message).toContain(contact.id);
    expect(body.error.fields?.phone).toContain(contact.id);

    const badPhone = await t.request('/api/contacts', { method: 'POST', json: { name: 'X', phone: '11 91234-5678' }, token: t.admin.token });
    expect(badPhone.status).toBe(400);
    expect((await json<ErrorBody>(badPhone)).error.fields?.phone).toMatch(/country code/);

    expect((await json<{ contacts: Contact[] }>(await t.request('/api/contacts?q=mar'))).contacts.map((c) => c.id)).toEqual([contact.id]);
    expect((await t.request(`/api/contacts/${contact.id}`, { method: 'PATCH', json: { name: 'M' } })).status).toBe(403);
    const patched = await t.request(`/api/contacts/${contact.id}`, { method: 'PATCH', json: { email: 'maria@example.com' }, token: t.admin.token });
    expect((await json<{ contact: Contact }>(patched)).contact.email).toBe('maria@example.com');
    expect((await t.request(`/api/contacts/${contact.id}`, { method: 'DELETE', token: t.admin.token })).status).toBe(204);
    expect((await t.request(`/api/contacts/${contact.id}`)).status).toBe(404);
    // The phone is free again once its holder is deleted.
    expect((await t.request('/api/contacts', { method: 'POST', json: { name: 'New', phone: '+5511912345678' }, token: t.admin.token })).status).toBe(201);
  });
});

describe('desk integration', () => {
  it('has defaults, and only admins change it', async () => {
    expect((await json<{ integration: unknown }>(await t.request('/api/integrations/desk'))).integration).toEqual({ subject: 'Desk', tags: ['desk'], enabled: true, offerPerson: { enabled: true, afterMisses: 2, destination: 'desk' } });
    const body = { subject: 'Support', tags: ['Chat Bot', 'web'], enabled: true };
    expect((await t.request('/api/integrations/desk', { method: 'PUT', json: body })).status).toBe(403);
    const res = await t.request('/api/integrations/desk', { method: 'PUT', json: body, token: t.admin.token });
    expect((await json<{ integration: unknown }>(res)).integration).toEqual({ subject: 'Support', tags: ['chat-bot', 'web'], enabled: true, offerPerson: { enabled: true, afterMisses: 2, destination: 'desk' } });
    expect((await t.request('/api/integrations/desk', { method: 'PUT', json: { subject: '' }, token: t.admin.token })).status).toBe(400);
    expect((await handOff('v-9')).subject).toBe('Support — Talk to a person');
  });
});

describe('openapi', () => {
  it('documents the engine and web chat routes', async () => {
    const doc = await json<{ paths: Record<string, unknown> }>(await t.request('/api/openapi.json', { token: null }));
    for (const path of [
      '/api/tickets',
      '/api/tickets/{id}',
      '/api/tickets/{id}/messages',
      '/api/intents',
      '/api/intents/{id}',
      '/api/contacts',
      '/api/contacts/{id}',
      '/api/integrations/desk',
      '/media/{id}',
      '/channels/webchat/messages',
      '/channels/webchat/stream',
      '/channels/webchat/media/{id}',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
  });
});
