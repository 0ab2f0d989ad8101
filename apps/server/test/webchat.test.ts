import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WebchatMessage } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDesk, must, sampleIntents, type TestDesk, withIntents } from './support/desk-fixture.ts';

let t: TestDesk;
beforeEach(async () => {
  t = createTestDesk({ MEDIA_MAX_BYTES: String(1024) });
  await withIntents(t, sampleIntents());
});
afterEach(() => t.close());

const visitorId = '6f1c1e4a-3b1f-4c7e-9d5a-0a1b2c3d4e5f';
const post = (body: unknown) => t.request('/channels/webchat/messages', { method: 'POST', json: body, token: null });
const list = async (id = visitorId) => {
  const res = await t.request(`/channels/webchat/messages?visitorId=${id}`, { token: null });
  return { status: res.status, body: (await res.json()) as { messages: WebchatMessage[]; error?: { code: string } } };
};
const upload = (file: File, fields: Record<string, string> = { visitorId }) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', file);
  return t.request('/channels/webchat/messages', { method: 'POST', body: form, token: null });
};
const counts = () => ({
  messages: (t.services.db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n,
  media: (t.services.db.prepare('SELECT COUNT(*) AS n FROM media').get() as { n: number }).n,
  files: readdirSync(join(t.dataDir, 'media')).length,
});

describe('POST /channels/webchat/messages', () => {
  it('stores the visitor message, answers 201 with it, and the bot answer follows in the list', async () => {
    const res = await post({ visitorId, text: 'hello', name: 'Visitor Vera' });
    expect(res.status).toBe(201);
    const { message } = (await res.json()) as { message: WebchatMessage };
    expect(message).toMatchObject({ authorKind: 'user', text: 'hello', attachments: [] });
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(body.messages.map((m) => m.authorKind)).toEqual(['user', 'bot']);
    expect(body.messages[1]?.text).toMatch(/^Hello!/);
    expect(t.services.contacts.findByIdentity('webchat', visitorId)?.name).toBe('Visitor Vera');
  });

  it('shows agent replies with the agent name, and the hand-off to the visitor', async () => {
    await post({ visitorId, text: 'I want to talk to a person' });
    const ticket = must(t.services.tickets.list({ statuses: [], priorities: [], assignees: [], text: '' }, { limit: 10, offset: 0 }).tickets[0]);
    t.services.engine.reply({ ticketId: ticket.id, agentId: t.agent.id, text: 'Hi, this is Ana.' });
    const { body } = await list();
    expect(body.messages.at(-1)).toMatchObject({ authorKind: 'agent', text: 'Hi, this is Ana.', agentName: 'Ana Agent' });
    expect(body.messages.at(-1)).not.toHaveProperty('ticketId');
  });

  it('refuses a visitorId that is not a UUID, empty text and malformed JSON with 400', async () => {
    expect((await post({ visitorId: 'nope', text: 'hi' })).status).toBe(400);
    const empty = await post({ visitorId, text: '   ' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('text');
    const malformed = await t.request('/channels/webchat/messages', {
      method: 'POST',
      body: '{"visitorId":',
      headers: { 'content-type': 'application/json' },
      token: null,
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('malformed_json');
    expect(counts().messages).toBe(0);
  });

  it('refuses other content types with 415', async () => {
    const res = await t.request('/channels/webchat/messages', {
      method: 'POST',
      body: 'visitorId=x',
      headers: { 'content-type': 'text/plain' },
      token: null,
    });
    expect(res.status).toBe(415);
  });

  it('stores an allowed file under DATA_DIR/media and lets the visitor and agents download it', async () => {
    const res = await upload(new File(['%PDF-1.4 test'], 'invoice.pdf', { type: 'application/pdf' }), { visitorId, text: 'my invoice' });
    expect(res.status).toBe(201);
    const { message } = (await res.json()) as { message: WebchatMessage };
    const attachment = must(message.attachments[0]);
    expect(attachment).toMatchObject({ kind: 'file', mimeType: 'application/pdf', name: 'invoice.pdf', size: 13 });
    expect(attachment.url).toMatch(new RegExp(`^/channels/webchat/media/[0-9a-f-]{36}\\?visitorId=${visitorId}$`));
    expect(counts()).toMatchObject({ media: 1, files: 1 });

    const mine = await t.request(attachment.url, { token: null });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(mine.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await mine.text()).toBe('%PDF-1.4 test');

    const mediaId = must(attachment.url.split('/').at(-1)?.split('?')[0]);
    const stranger = await t.request(`/channels/webchat/media/${mediaId}?visitorId=11111111-1111-4111-8111-111111111111`, { token: null });
    expect(stranger.status).toBe(404);
    expect((await t.request(`/media/${mediaId}`, { token: null })).status).toBe(401);
    const agent = await t.request(`/media/${mediaId}`);
    expect(agent.status).toBe(200);
  });

  it('serves images inline', async () => {
    const res = await upload(new File([new Uint8Array([137, 80, 78, 71])], 'pic.png', { type: 'image/png' }));
    const { message } = (await res.json()) as { message: WebchatMessage };
    expect(message.attachments[0]?.kind).toBe('image');
    const file = await t.request(must(message.attachments[0]).url, { token: null });
    expect(file.headers.get('content-disposition')).toMatch(/^inline;/);
  });

  it('refuses oversized (413) and disallowed (415) files and writes nothing', async () => {
    const big = await upload(new File([new Uint8Array(2048)], 'big.png', { type: 'image/png' }));
    expect(big.status).toBe(413);
    const html = await upload(new File(['<script>alert(1)</script>'], 'x.html', { type: 'text/html' }));
    expect(html.status).toBe(415);
    const svg = await upload(new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' }));
    expect(svg.status).toBe(415);
    expect(counts()).toEqual({ messages: 0, media: 0, files: 0 });
  });

  it('removes the written file when the inbox cannot take the message', async () => {
    t.services.db.exec('CREATE TRIGGER fail_inbox BEFORE INSERT ON inbox BEGIN SELECT RAISE(ABORT, \'disk full\'); END;');
    const res = await upload(new File(['hello'], 'note.txt', { type: 'text/plain' }));
    expect(res.status).toBe(500);
    expect(counts()).toEqual({ messages: 0, media: 0, files: 0 });
    expect(t.services.contacts.list({ limit: 10, offset: 0 })).toHaveLength(0);
  });
});

describe('flood protection', () => {
  it('refuses a visitor past 20 messages in 10 s with 429 and Retry-After, storing nothing more', async () => {
    for (let i = 0; i < 20; i++) expect((await post({ visitorId, text: `message ${i}` })).status).toBe(201);
    const before = counts().messages;
    const res = await post({ visitorId, text: 'one too many' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    expect(counts().messages).toBe(before);
    // Another visitor is not held back by the first.
    expect((await post({ visitorId: '0b8f5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b', text: 'hello' })).status).toBe(201);
  });
});

describe('GET /channels/webchat/messages', () => {
  it('answers 404 not_found for an unknown visitor and 400 for a bad id', async () => {
    const unknown = await list('22222222-2222-4222-8222-222222222222');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('not_found');
    expect((await list('not-a-uuid')).status).toBe(400);
  });

  it('allows cross-origin calls from the websites that embed the widget', async () => {
    await post({ visitorId, text: 'hello' });
    const res = await t.request(`/channels/webchat/messages?visitorId=${visitorId}`, { token: null, headers: { origin: 'https://shop.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('GET /channels/webchat/stream', () => {
  it('streams every new message of the visitor as a `message` event', async () => {
    const res = await t.request(`/channels/webchat/stream?visitorId=${visitorId}`, { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = must(res.body).getReader();
    const decoder = new TextDecoder();
    let received = '';
    await reader.read(); // ": connected"
    await post({ visitorId, text: 'hello' });
    await post({ visitorId: '33333333-3333-4333-8333-333333333333', text: 'someone else' });
    while ((received.match(/event: message/g) ?? []).length < 2) {
      const { value } = await reader.read();
      received += decoder.decode(value);
    }
    await reader.cancel();
    const events = received
      .split('\n\n')
      .filter((block) => block.includes('event: message'))
      .map((block) => JSON.parse(must(block.split('\n').find((l) => l.startsWith('data: '))).slice(6)) as WebchatMessage);
    expect(events.map((e) => [e.authorKind, e.text.slice(0, 6)])).toEqual([
      ['user', 'hello'],
      ['bot', 'Hello!'],
    ]);
  });

  it('replays what a reconnecting visitor missed after Last-Event-ID', async () => {
    await post({ visitorId, text: 'hello' });
    const { body } = await list();
    const res = await t.request(`/channels/webchat/stream?visitorId=${visitorId}`, { token: null, headers: { 'last-event-id': must(body.messages[0]).id } });
    const reader = must(res.body).getReader();
    let received = '';
    while (!received.includes('event: message')) received += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(received).toContain(`id: ${body.messages[1]?.id}`);
    expect(received).not.toContain(`id: ${body.messages[0]?.id}`);
  });

  it('refuses a bad visitor id with 400', async () => {
    expect((await t.request('/channels/webchat/stream?visitorId=bad', { token: null })).status).toBe(400);
  });
});
