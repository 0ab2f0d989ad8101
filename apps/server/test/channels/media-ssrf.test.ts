import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardedMediaFetch, RefusedMediaUrl } from '../../src/channels/media/guarded-fetch.ts';
import { isNonPublicAddress, mediaOriginPolicy } from '../../src/channels/media/media-origins.ts';
import { type ChannelDesk, channelEnv, eventually, smoochSecret, startChannelDesk } from '../support/channel-desk.ts';
import { type Json, loadFixture } from '../support/channel-fixtures.ts';
import { SAMPLE_BYTES, type StandIn, startSmoochStandIn } from '../support/platform-stand-ins.ts';
import { SMOOCH_APP_ID, SMOOCH_KEY_ID, SMOOCH_KEY_SECRET } from '../support/channel-desk.ts';

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

/** A loopback HTTP server answering with `handler`, counting the requests it got. */
async function serveOnLoopback(handler: (path: string, base: string) => Reply) {
  const hits: string[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const reply = handler(req.url ?? '/', base);
    res.writeHead(reply.status, reply.headers ?? {});
    res.end(reply.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

type Loopback = Awaited<ReturnType<typeof serveOnLoopback>>;
let smooch: StandIn;
let internal: Loopback;
let redirector: Loopback;
const desks: ChannelDesk[] = [];

beforeAll(async () => {
  smooch = await startSmoochStandIn(SMOOCH_APP_ID, SMOOCH_KEY_ID, SMOOCH_KEY_SECRET);
  // An internal service that must never be reached through a webhook's file URL.
  internal = await serveOnLoopback(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: '{"db_password":"hunter2"}' }));
  // A media host Desk trusts (listed in CHANNEL_MEDIA_ALLOWED_ORIGINS) that someone made redirect.
  redirector = await serveOnLoopback((path, base): Reply => {
    const hop = /^\/hop\/(\d+)\/(.*)$/.exec(path);
    if (hop) {
      const left = Number(hop[1]);
      return { status: 302, headers: { location: left > 1 ? `${base}/hop/${left - 1}/${hop[2]}` : `/${hop[2]}` } };
    }
    if (path === '/to-internal') return { status: 302, headers: { location: `${internal.url}/admin/config` } };
    if (path === '/photo.jpg') return { status: 200, headers: { 'content-type': 'image/jpeg' }, body: SAMPLE_BYTES.jpeg };
    if (path === '/config.json') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"internal":true}' };
    return { status: 404 };
  });
});
afterAll(async () => {
  await Promise.all([smooch.close(), internal.close(), redirector.close()]);
});
afterEach(async () => {
  await Promise.all(desks.splice(0).map((d) => d.close({ remove: true })));
});

async function deskTrusting(origins: string[]): Promise<ChannelDesk> {
  const desk = await startChannelDesk({ env: { ...channelEnv({ smooch }), CHANNEL_MEDIA_ALLOWED_ORIGINS: origins.join(',') } });
  desks.push(desk);
  return desk;
}

/** Sends a Sunshine image message whose `mediaUrl` is `url`; answers the attachment once its download settled. */
async function sendFile(desk: ChannelDesk, url: string, id: string, mediaType = 'image/jpg') {
  const body = loadFixture<Json>('smooch-message-image-whatsapp.json').body;
  body.events[0].payload.message.id = id;
  body.events[0].payload.message.content.mediaUrl = url;
  body.events[0].payload.message.content.mediaType = mediaType;
  expect((await desk.webhook('/channels/smooch/webhook', JSON.stringify(body), smoochSecret())).status).toBe(200);
  return eventually(async () => {
    const message = (await desk.messagesOf('smooch', 'f52b01137aa6c250bc7251fa')).find((m) => m.attachments.length > 0 && m.channelMessageId === id);
    const attachment = message?.attachments[0];
    return attachment && attachment.download?.state !== 'pending' ? attachment : null;
  }, `the download of ${url}`);
}

describe('channel media downloads (SSRF)', () => {
  it('does not follow a redirect from an allowed media host to a loopback service', async () => {
    const desk = await deskTrusting([redirector.url]);
    const attachment = await sendFile(desk, `${redirector.url}/to-internal`, 'm-redirect', 'text/plain');
    expect(attachment.download).toMatchObject({ state: 'failed', error: 'Download failed.' });
    expect(internal.hits).toEqual([]);
    expect(await desk.count('SELECT COUNT(*) FROM media')).toBe(0);
  });

  it('refuses a file URL on an origin that is not allowed, showing agents no network detail', async () => {
    const desk = await deskTrusting([redirector.url]);
    const attachment = await sendFile(desk, `${internal.url}/admin/config`, 'm-direct', 'text/plain');
    expect(attachment.download).toMatchObject({ state: 'failed', error: 'Download failed.' });
    expect(attachment.download?.error).not.toMatch(/127\.0\.0\.1|ECONN|port/i);
    expect(internal.hits).toEqual([]);
  });

  it('follows up to 3 redirects within allowed origins, and refuses a 4th', async () => {
    const desk = await deskTrusting([redirector.url]);
    const three = await sendFile(desk, `${redirector.url}/hop/3/photo.jpg`, 'm-three');
    expect(three).toMatchObject({ kind: 'image', mimeType: 'image/jpeg', download: { state: 'stored' } });
    const four = await sendFile(desk, `${redirector.url}/hop/4/photo.jpg`, 'm-four');
    expect(four.download).toMatchObject({ state: 'failed', error: 'Download failed.' });
  });

  it('stores a file only as a type its bytes allow, whatever the platform declared', async () => {
    const desk = await deskTrusting([redirector.url]);
    const json = await sendFile(desk, `${redirector.url}/config.json`, 'm-json', 'text/plain');
    expect(json.download).toMatchObject({ state: 'failed', error: 'This kind of file is not accepted (application/json).' });
    expect(await desk.count('SELECT COUNT(*) FROM media')).toBe(0);
  });
});

describe('channel media and the storage quota', () => {
  it('does not store a platform file past MEDIA_QUOTA_BYTES, and says why (retried later)', async () => {
    const desk = await startChannelDesk({ env: { ...channelEnv({ smooch }), CHANNEL_MEDIA_ALLOWED_ORIGINS: redirector.url, MEDIA_QUOTA_BYTES: '10', CHANNEL_RETRY_BASE_MS: '60000' } });
    desks.push(desk);
    const body = loadFixture<Json>('smooch-message-image-whatsapp.json').body;
    body.events[0].payload.message.content.mediaUrl = `${redirector.url}/photo.jpg`;
    expect((await desk.webhook('/channels/smooch/webhook', JSON.stringify(body), smoochSecret())).status).toBe(200);
    const attachment = await eventually(async () => {
      const a = (await desk.messagesOf('smooch', 'f52b01137aa6c250bc7251fa')).flatMap((m) => m.attachments)[0];
      return a?.download?.error ? a : null;
    }, 'the refused download');
    expect(attachment.download).toMatchObject({ state: 'pending', error: 'File storage is full.' });
    expect(await desk.count('SELECT COUNT(*) FROM media')).toBe(0);
  });
});

describe('the media origin policy', () => {
  it('allows the configured API origins and the listed ones; platform hosts only over https', async () => {
    const policy = mediaOriginPolicy({
      telegramApiUrl: 'https://api.telegram.org',
      metaGraphUrl: 'https://graph.facebook.com/v21.0',
      smoochApiUrl: 'https://api.smooch.io',
      mediaAllowedOrigins: ['http://media.internal:8080'],
    });
    expect([...policy.explicit]).toEqual(['https://api.telegram.org', 'https://graph.facebook.com', 'https://api.smooch.io', 'http://media.internal:8080']);
  });

  it('counts loopback, private, link-local, CGNAT and multicast addresses as non-public', async () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '224.0.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', 'ff02::1', '::ffff:127.0.0.1']) {
      expect(isNonPublicAddress(address), address).toBe(true);
    }
    for (const address of ['157.240.1.35', '8.8.8.8', '2a03:2880:f10c:83:face:b00c:0:25de']) expect(isNonPublicAddress(address), address).toBe(false);
  });

  it('refuses a platform host whose name resolves to loopback, after DNS resolution', async () => {
    // "localhost" stands for a platform-looking host name that an attacker pointed at 127.0.0.1.
    const get = guardedMediaFetch({ explicit: new Set(), hostSuffixes: ['calhost'] });
    await expect(get('https://localhost/file.jpg')).rejects.toBeInstanceOf(RefusedMediaUrl);
  });
});
