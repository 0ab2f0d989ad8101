import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WebchatMessage } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDesk, must, sampleIntents, type TestDesk, withIntents } from './support/desk-fixture.ts';
import { failInserts, rawRow, rawRows, rawRun } from './support/raw-sql.ts';

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk({ MEDIA_MAX_BYTES: String(1024) });
  await withIntents(t, sampleIntents());
});
afterEach(() => t.close());

const visitorId = '6f1c1e4a-3b1f-4c7e-9d5a-0a1b2c3d4e5f';
type Answer = { visitorId: string; visitorToken?: string; message: WebchatMessage };

/** A web chat visitor as the widget drives it: the first message gets the token, later calls send it. */
function visitor(id: string | null = visitorId) {
  let token: string | null = null;
  const headers = (): Record<string, string> => (token ? { 'x-visitor-token': token } : {});
  const remember = async (res: Response) => {
    if (res.status === 201) {
      const body = (await res.clone().json()) as Answer;
      if (body.visitorToken) token = body.visitorToken;
    }
    return res;
  };
  return {
    get token() {
      return token;
    },
    set token(value: string | null) {
      token = value;
    },
    post: (body: Record<string, unknown>) =>
      t.request('/channels/webchat/messages', { method: 'POST', json: id ? { visitorId: id, ...body } : body, token: null, headers: headers() }).then(remember),
    upload(file: File, fields: Record<string, string> = {}) {
      const form = new FormData();
      for (const [k, v] of Object.entries({ ...(id && !token ? { visitorId: id } : {}), ...fields })) form.set(k, v);
      form.set('file', file);
      return t.request('/channels/webchat/messages', { method: 'POST', body: form, token: null, headers: headers() }).then(remember);
    },
    async list() {
      const res = await t.request('/channels/webchat/messages', { token: null, headers: headers() });
      return { status: res.status, body: (await res.json()) as { messages: WebchatMessage[]; error?: { code: string } } };
    },
    stream: (init: { headers?: Record<string, string> } = {}) =>
      t.request('/channels/webchat/stream', { token: null, headers: { ...headers(), ...init.headers } }),
    media: (url: string) => t.request(url, { token: null, headers: headers() }),
  };
}

const counts = async () => ({
  messages: (await rawRow(t.services.db, 'SELECT COUNT(*) AS n FROM messages') as { n: number }).n,
  media: (await rawRow(t.services.db, 'SELECT COUNT(*) AS n FROM media') as { n: number }).n,
  files: readdirSync(join(t.dataDir, 'media')).length,
});

async function readEvents(res: Response, count: number): Promise<WebchatMessage[]> {
  const reader = must(res.body).getReader();
  const decoder = new TextDecoder();
  let received = '';
  while ((received.match(/event: message/g) ?? []).length < count) {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    received += decoder.decode(value);
  }
  await reader.cancel();
  return received
    .split('\n\n')
    .filter((block) => block.includes('event: message'))
    .map((block) => JSON.parse(must(block.split('\n').find((l) => l.startsWith('data: '))).slice(6)) as WebchatMessage);
}

describe('POST /channels/webchat/messages', () => {
  it('stores the visitor message, answers 201 with it and the visitor token, and the bot answer follows in the list', async () => {
    const vera = visitor();
    const res = await vera.post({ text: 'hello', name: 'Visitor Vera' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Answer;
    expect(body.message).toMatchObject({ authorKind: 'user', text: 'hello', attachments: [] });
    expect(body).toMatchObject({ visitorId, visitorToken: expect.stringMatching(/^[\w-]{40,}$/) });
    const { status, body: listed } = await vera.list();
    expect(status).toBe(200);
    expect(listed.messages.map((m) => m.authorKind)).toEqual(['user', 'bot']);
    expect(listed.messages[1]?.text).toMatch(/^Hello!/);
    expect((await t.services.contacts.findByIdentity('webchat', visitorId))?.name).toBe('Visitor Vera');
    // The id the POST answered is the stored message's: time-ordered (UUIDv7), before the bot's answer.
    const [stored, answer] = listed.messages;
    expect(stored?.id).toBe(body.message.id);
    expect(body.message.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(must(stored).id < must(answer).id).toBe(true);
  });

  it('creates a visitor with a server-chosen id when the widget sends none', async () => {
    const anonymous = visitor(null);
    const body = (await (await anonymous.post({ text: 'hello' })).json()) as Answer;
    expect(body.visitorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await t.services.conversations.findByIdentity('webchat', body.visitorId)).not.toBeNull();
  });

  it('shows agent replies with the agent name, and the hand-off to the visitor', async () => {
    const vera = visitor();
    await vera.post({ text: 'I want to talk to a person' });
    const ticket = must((await t.services.tickets.list({ statuses: [], priorities: [], assignees: [], text: '' }, { limit: 10, offset: 0 })).tickets[0]);
    await t.services.engine.reply({ ticketId: ticket.id, agentId: t.agent.id, text: 'Hi, this is Ana.' });
    const { body } = await vera.list();
    expect(body.messages.at(-1)).toMatchObject({ authorKind: 'agent', text: 'Hi, this is Ana.', agentName: 'Ana Agent' });
    expect(body.messages.at(-1)).not.toHaveProperty('ticketId');
  });

  it('refuses a visitorId that is not a UUID, empty text and malformed JSON with 400', async () => {
    expect((await visitor('nope').post({ text: 'hi' })).status).toBe(400);
    const empty = await visitor().post({ text: '   ' });
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
    expect((await counts()).messages).toBe(0);
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

  it('stores an allowed file under DATA_DIR/media and lets the visitor (with the token) and agents download it', async () => {
    const vera = visitor();
    const res = await vera.upload(new File(['%PDF-1.4 test'], 'invoice.pdf', { type: 'application/pdf' }), { text: 'my invoice' });
    expect(res.status).toBe(201);
    const { message } = (await res.json()) as Answer;
    const attachment = must(message.attachments[0]);
    expect(attachment).toMatchObject({ kind: 'file', mimeType: 'application/pdf', name: 'invoice.pdf', size: 13 });
    expect(attachment.url).toMatch(/^\/channels\/webchat\/media\/[0-9a-f-]{36}$/);
    expect(await counts()).toMatchObject({ media: 1, files: 1 });

    const mine = await vera.media(attachment.url);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(mine.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await mine.text()).toBe('%PDF-1.4 test');

    const mediaId = must(attachment.url.split('/').at(-1));
    const stranger = visitor('11111111-1111-4111-8111-111111111111');
    await stranger.post({ text: 'hi' });
    expect((await stranger.media(attachment.url)).status).toBe(404);
    expect((await t.request(attachment.url, { token: null })).status).toBe(401);
    expect((await t.request(`/media/${mediaId}`, { token: null })).status).toBe(401);
    expect((await t.request(`/media/${mediaId}`)).status).toBe(200);
  });

  it('serves images inline', async () => {
    const vera = visitor();
    const res = await vera.upload(new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], 'pic.png', { type: 'image/png' }));
    const { message } = (await res.json()) as Answer;
    expect(message.attachments[0]?.kind).toBe('image');
    const file = await vera.media(must(message.attachments[0]).url);
    expect(file.headers.get('content-disposition')).toMatch(/^inline;/);
  });

  it('refuses oversized (413) and disallowed (415) files, also HTML sent as text, and writes nothing', async () => {
    const vera = visitor();
    const big = await vera.upload(new File([new Uint8Array(2048)], 'big.png', { type: 'image/png' }));
    expect(big.status).toBe(413);
    const html = await vera.upload(new File(['<script>alert(1)</script>'], 'x.html', { type: 'text/html' }));
    expect(html.status).toBe(415);
    const svg = await vera.upload(new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' }));
    expect(svg.status).toBe(415);
    const disguised = await vera.upload(new File(['<!DOCTYPE html><script>alert(1)</script>'], 'x.txt', { type: 'text/plain' }));
    expect(disguised.status).toBe(415);
    expect(await counts()).toEqual({ messages: 0, media: 0, files: 0 });
  });

  it('removes the written file when the inbox cannot take the message', async () => {
    await failInserts(t.services.db, 'fail_inbox', 'inbox', 'disk full');
    const res = await visitor().upload(new File(['hello'], 'note.txt', { type: 'text/plain' }));
    expect(res.status).toBe(500);
    expect(await counts()).toEqual({ messages: 0, media: 0, files: 0 });
    expect(await t.services.contacts.list({ limit: 10, offset: 0 })).toHaveLength(0);
  });
});

describe('the visitor token', () => {
  it('is required for every later call: the id alone reads, posts and streams nothing', async () => {
    const vera = visitor();
    await vera.post({ text: 'hello' });
    const thief = visitor(); // knows the (public) visitor id, not the token
    const posted = await thief.post({ text: 'I am Vera' });
    expect(posted.status).toBe(401);
    expect((await thief.list()).status).toBe(401);
    expect((await t.request(`/channels/webchat/messages?visitorId=${visitorId}`, { token: null })).status).toBe(401);
    expect((await t.request(`/channels/webchat/stream?visitorId=${visitorId}`, { token: null })).status).toBe(401);
    expect((await t.request('/channels/webchat/messages', { token: null, headers: { 'x-visitor-token': 'guess' } })).status).toBe(401);
    expect((await vera.list()).body.messages.map((m) => m.text)).not.toContain('I am Vera');
  });

  it('is what agents never see: they see the public visitor id', async () => {
    const vera = visitor();
    const { visitorToken } = (await (await vera.post({ text: 'hello' })).json()) as Answer;
    const contacts = await (await t.request('/api/contacts')).text();
    expect(contacts).toContain(visitorId);
    expect(contacts).not.toContain(must(visitorToken));
    const changes = JSON.stringify(await rawRows(t.services.db, 'SELECT data FROM change_log'));
    expect(changes).not.toContain(must(visitorToken));
  });

  it('can be rotated: the old one stops working and the conversation goes on with the new one', async () => {
    const vera = visitor();
    await vera.post({ text: 'hello' });
    const old = must(vera.token);
    const res = await t.request('/channels/webchat/token', { method: 'POST', token: null, headers: { 'x-visitor-token': old } });
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as { visitorId: string; visitorToken: string };
    expect(rotated.visitorId).toBe(visitorId);
    expect((await t.request('/channels/webchat/messages', { token: null, headers: { 'x-visitor-token': old } })).status).toBe(401);
    vera.token = rotated.visitorToken;
    expect((await vera.list()).body.messages.map((m) => m.text)).toContain('hello');
  });

  it('is claimed once by a visitor from before tokens, who keeps their conversation', async () => {
    // A conversation stored before the upgrade, and its visitor as the migration recorded it.
    await t.services.engine.handleInbound({ channel: 'webchat', externalId: visitorId, text: 'hello from before', profile: { name: null } });
    await rawRun(t.services.db, 'INSERT INTO webchat_visitors (id, token_hash, created_at) VALUES (?, NULL, ?)', visitorId, new Date().toISOString());
    const claim = await t.request('/channels/webchat/token', { method: 'POST', token: null, json: { visitorId } });
    expect(claim.status).toBe(200);
    const { visitorToken } = (await claim.json()) as { visitorToken: string };
    const vera = visitor();
    vera.token = visitorToken;
    expect((await vera.list()).body.messages.map((m) => m.text)).toContain('hello from before');
    // Claimed once: the old id alone no longer gets a token.
    expect((await t.request('/channels/webchat/token', { method: 'POST', token: null, json: { visitorId } })).status).toBe(401);
    expect((await visitor().post({ text: 'hijack' })).status).toBe(401);
  });
});

describe('flood protection', () => {
  it('refuses a visitor past 20 messages in 10 s with 429 and Retry-After, storing nothing more', async () => {
    const vera = visitor();
    for (let i = 0; i < 20; i++) expect((await vera.post({ text: `message ${i}` })).status).toBe(201);
    const before = (await counts()).messages;
    const res = await vera.post({ text: 'one too many' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    expect((await counts()).messages).toBe(before);
    // Another visitor is not held back by the first.
    expect((await visitor('0b8f5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b').post({ text: 'hello' })).status).toBe(201);
  });

  it('refuses a flooding visitor before reading the upload', async () => {
    const vera = visitor();
    for (let i = 0; i < 20; i++) await vera.post({ text: `message ${i}` });
    let pulled = 0;
    const boundary = 'desk-boundary';
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled === 1) controller.enqueue(new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n`));
        else if (pulled < 50) controller.enqueue(new Uint8Array(16).fill(65));
        else controller.close();
      },
    });
    const res = await t.request('/channels/webchat/messages', {
      method: 'POST',
      body,
      duplex: 'half',
      token: null,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-visitor-token': must(vera.token) },
    } as RequestInit & { duplex: 'half' });
    expect(res.status).toBe(429);
    expect(pulled).toBeLessThan(5);
  });

  it('limits how many new visitors one address starts in an hour', async () => {
    const desk = await createTestDesk({ WEBCHAT_NEW_VISITORS_PER_HOUR: '3' });
    try {
      const start = () => desk.request('/channels/webchat/messages', { method: 'POST', json: { text: 'hi' }, token: null });
      for (let i = 0; i < 3; i++) expect((await start()).status).toBe(201);
      const refused = await start();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: { code: 'too_many_requests', message: expect.stringMatching(/new conversations/) } });
    } finally {
      desk.close();
    }
  });
});

describe('storage quotas', () => {
  const file = (n: number) => new File([new Uint8Array(900).fill(65 + n)], `f${n}.txt`, { type: 'text/plain' });

  it('refuses uploads past the per-address quota with 429 and writes nothing', async () => {
    const desk = await createTestDesk({ MEDIA_MAX_BYTES: '1024', MEDIA_QUOTA_PER_ADDRESS_BYTES: '2000' });
    try {
      const send = (n: number) => {
        const form = new FormData();
        form.set('file', file(n));
        return desk.request('/channels/webchat/messages', { method: 'POST', body: form, token: null });
      };
      expect([(await send(1)).status, (await send(2)).status]).toEqual([201, 201]);
      const refused = await send(3);
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: { code: 'too_many_requests', message: expect.stringMatching(/files from this network/) } });
      expect(readdirSync(join(desk.dataDir, 'media'))).toHaveLength(2);
    } finally {
      desk.close();
    }
  });

  it('answers 507 when the media store is full (MEDIA_QUOTA_BYTES)', async () => {
    const desk = await createTestDesk({ MEDIA_MAX_BYTES: '1024', MEDIA_QUOTA_BYTES: '1500' });
    try {
      const send = (n: number) => {
        const form = new FormData();
        form.set('file', file(n));
        return desk.request('/channels/webchat/messages', { method: 'POST', body: form, token: null });
      };
      expect((await send(1)).status).toBe(201);
      const full = await send(2);
      expect(full.status).toBe(507);
      expect(await full.json()).toMatchObject({ error: { code: 'insufficient_storage', message: expect.stringMatching(/storage is full/) } });
      expect(readdirSync(join(desk.dataDir, 'media'))).toHaveLength(1);
      // Text still gets through.
      expect((await desk.request('/channels/webchat/messages', { method: 'POST', json: { text: 'hi' }, token: null })).status).toBe(201);
    } finally {
      desk.close();
    }
  });
});

describe('GET /channels/webchat/messages', () => {
  it('answers 401 without a token', async () => {
    const unknown = await visitor('22222222-2222-4222-8222-222222222222').list();
    expect(unknown.status).toBe(401);
    expect(unknown.body.error?.code).toBe('unauthenticated');
  });

  it('allows cross-origin calls (with the token header) from the websites that embed the widget', async () => {
    const vera = visitor();
    await vera.post({ text: 'hello' });
    const res = await t.request('/channels/webchat/messages', { token: null, headers: { origin: 'https://shop.example', 'x-visitor-token': must(vera.token) } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await t.request('/channels/webchat/messages', {
      method: 'OPTIONS',
      token: null,
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-visitor-token' },
    });
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-visitor-token');
  });
});

describe('GET /channels/webchat/stream', () => {
  it('streams every new message of the visitor as a `message` event', async () => {
    const vera = visitor();
    await vera.post({ text: 'first' });
    const res = await vera.stream();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = readEvents(res, 2);
    await vera.post({ text: 'hello' });
    await visitor('33333333-3333-4333-8333-333333333333').post({ text: 'someone else' });
    expect((await events).map((e) => [e.authorKind, e.text.slice(0, 6)])).toEqual([
      ['user', 'hello'],
      ['bot', 'Hello!'],
    ]);
  });

  it('takes the token from ?visitorToken= or the desk_visitor cookie, as EventSource cannot send headers', async () => {
    const vera = visitor();
    await vera.post({ text: 'first' });
    const token = must(vera.token);
    const byQuery = await t.request(`/channels/webchat/stream?visitorToken=${encodeURIComponent(token)}`, { token: null });
    expect(byQuery.status).toBe(200);
    await byQuery.body?.cancel();
    const byCookie = await t.request('/channels/webchat/stream', { token: null, headers: { cookie: `desk_visitor=${token}` } });
    expect(byCookie.status).toBe(200);
    await byCookie.body?.cancel();
  });

  it('replays what a reconnecting visitor missed after Last-Event-ID, in order', async () => {
    const vera = visitor();
    await vera.post({ text: 'hello' });
    await vera.post({ text: 'are you there?' });
    const { body } = await vera.list();
    expect(body.messages.length).toBeGreaterThanOrEqual(4);
    const res = await vera.stream({ headers: { 'last-event-id': must(body.messages[0]).id } });
    const replayed = await readEvents(res, body.messages.length - 1);
    expect(replayed.map((m) => m.id)).toEqual(body.messages.slice(1).map((m) => m.id));
  });

  it('answers 404 for an unknown visitor token, and caps streams per visitor', async () => {
    expect((await t.request('/channels/webchat/stream?visitorToken=unknown', { token: null })).status).toBe(404);
    const vera = visitor();
    await vera.post({ text: 'hello' });
    const open: Response[] = [];
    for (let i = 0; i < 5; i++) open.push(await vera.stream());
    expect(open.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await vera.stream()).status).toBe(429);
    for (const res of open) await res.body?.cancel();
  });
});

describe('media retention (MEDIA_RETENTION_DAYS)', () => {
  it('is off by default', async () => {
    expect(t.services.mediaRetention).toBeNull();
  });

  it('deletes the files of tickets solved longer ago than the setting, and keeps the others', async () => {
    const desk = await createTestDesk({ MEDIA_RETENTION_DAYS: '30' });
    await withIntents(desk, sampleIntents());
    try {
      const send = async (id: string, daysSinceSolved: number) => {
        const start = await desk.request('/channels/webchat/messages', { method: 'POST', json: { visitorId: id, text: 'I want to talk to a person' }, token: null });
        const { visitorToken } = (await start.json()) as Answer;
        const form = new FormData();
        form.set('file', new File(['%PDF-1.4 old'], 'old.pdf', { type: 'application/pdf' }));
        const res = await desk.request('/channels/webchat/messages', { method: 'POST', body: form, token: null, headers: { 'x-visitor-token': must(visitorToken) } });
        const { message } = (await res.json()) as Answer;
        const solvedAt = new Date(Date.now() - daysSinceSolved * 86_400_000).toISOString();
        await rawRun(desk.services.db, "UPDATE tickets SET status = 'solved', solved_at = ? WHERE id = (SELECT ticket_id FROM messages WHERE id = ?)", solvedAt, message.id);
        return message.id;
      };
      const old = await send('44444444-4444-4444-8444-444444444444', 31);
      const recent = await send('55555555-5555-4555-8555-555555555555', 10);
      expect(await must(desk.services.mediaRetention).sweep()).toBe(1);
      expect((await desk.services.messages.get(old))?.attachments[0]).toMatchObject({ url: '', download: { state: 'failed', error: 'Removed 30 days after the ticket was solved.' } });
      expect((await desk.services.messages.get(recent))?.attachments[0]?.url).toMatch(/^\/media\//);
      expect(readdirSync(join(desk.dataDir, 'media'))).toHaveLength(1);
      expect((await rawRow(desk.services.db, 'SELECT COUNT(*) AS n FROM media') as { n: number }).n).toBe(1);
    } finally {
      desk.close();
    }
  });
});
