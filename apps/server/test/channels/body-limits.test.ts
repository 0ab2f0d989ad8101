import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelDesk, channelEnv, startChannelDesk } from '../support/channel-desk.ts';

let desk: ChannelDesk;
beforeAll(async () => {
  desk = await startChannelDesk({ http: true, env: channelEnv({}) });
});
afterAll(async () => {
  await desk.close({ remove: true });
});

/**
 * Streams up to `total` bytes (chunked, no Content-Length, like a client hiding the size) and stops
 * as soon as the server answers. Answers the status and how many bytes had been sent by then.
 */
function streamBody(path: string, total: number): Promise<{ status: number; sent: number; body: string }> {
  const url = new URL(path, desk.url as string);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, sent, body });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.byteLength;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('request body limits', () => {
  it('answers 413 to an unsigned 8 MB webhook body declared by Content-Length, before checking the signature', async () => {
    for (const path of ['/channels/meta/webhook', '/channels/telegram/webhook', '/channels/smooch/webhook']) {
      const res = await fetch(new URL(path, desk.url as string), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"x":"${'a'.repeat(8 * 1024 * 1024)}"}`,
      });
      expect(res.status, path).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    }
  });

  it('stops reading a chunked body at the limit: the client had not sent it all when 413 came', async () => {
    const total = 64 * 1024 * 1024;
    const result = await streamBody('/channels/meta/webhook', total);
    expect(result.status).toBe(413);
    expect(result.sent).toBeLessThan(total / 2);
  });

  it('accepts a webhook body under the limit (and then checks the signature)', async () => {
    const res = await fetch(new URL('/channels/meta/webhook', desk.url as string), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ object: 'page', entry: [] }),
    });
    expect(res.status).toBe(401);
  });
});
