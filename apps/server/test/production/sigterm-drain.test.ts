import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildForTest, type TestBuild } from '../support/built-server.ts';
import { loadFixture } from '../support/channel-fixtures.ts';
import { type StandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';
import { killServerProcess, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { SseReader } from '../support/sse-reader.ts';

const PASSWORD = 'drain test password';
let build: TestBuild;
beforeAll(async () => {
  build = await buildForTest();
});
afterAll(() => build?.remove());

const started: { server: ServerProcess; dataDir: string }[] = [];
let telegram: StandIn | undefined;
afterEach(async () => {
  for (const { server, dataDir } of started.splice(0)) {
    // A server that exited on its own has no group left to kill (and its number may be reused already).
    if (server.child.exitCode === null && server.child.signalCode === null) await killServerProcess(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  await telegram?.close();
  telegram = undefined;
});

/** The production build as its own process (`node dist/main.js`, no wrapper: SIGTERM reaches the server). */
async function startBuilt(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-drain-'));
  const server = await startServerProcess({ DATA_DIR: dataDir, ADMIN_PASSWORD: PASSWORD, ...env }, { built: build.main });
  started.push({ server, dataDir });
  let log = '';
  server.child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    server.child.once('exit', (code) => resolve({ code, at: performance.now() })),
  );
  return { ...server, dataDir, exited, log: () => log };
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@desk.local', password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

/** A sign-in whose body has only half arrived: in flight until `finish()` sends the rest. */
function halfSentLogin(url: string) {
  const body = JSON.stringify({ email: 'admin@desk.local', password: PASSWORD });
  const half = Math.floor(body.length / 2);
  const req = httpRequest(`${url}/api/auth/login`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
  });
  const answered = new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.once('error', reject);
  });
  req.write(body.slice(0, half));
  return { answered, finish: () => req.end(body.slice(half)) };
}

async function openStreams(url: string, token: string) {
  const sync = new SseReader((await fetch(`${url}/api/sync/stream`, { headers: { authorization: `Bearer ${token}` } })).body as ReadableStream<Uint8Array>);
  await sync.nextOf('hello');
  const posted = await fetch(`${url}/channels/webchat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'hello' }),
  });
  expect(posted.status).toBe(201);
  const { visitorToken } = (await posted.json()) as { visitorToken: string };
  const webchatRes = await fetch(`${url}/channels/webchat/stream?visitorToken=${encodeURIComponent(visitorToken)}`);
  expect(webchatRes.status).toBe(200);
  const webchat = new SseReader(webchatRes.body as ReadableStream<Uint8Array>);
  return { sync, webchat };
}

describe('SIGTERM on the built server', () => {
  it('stops accepting, ends both event streams with a reconnect hint, lets the request in flight finish, and exits 0 within the bound', async () => {
    const server = await startBuilt();
    const token = await signIn(server.url);
    const { sync, webchat } = await openStreams(server.url, token);
    const login = halfSentLogin(server.url);
    // Answered after the half-sent request's bytes were read: the server has that request under way.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const signalled = performance.now();
    process.kill(server.child.pid as number, 'SIGTERM');

    for (const stream of [sync, webchat]) {
      const hint = await stream.nextOf('reconnect');
      expect(JSON.parse(hint.data)).toEqual({ reason: 'shutting_down' });
      expect(hint.retry).toBeGreaterThanOrEqual(1_000);
      expect(hint.retry).toBeLessThanOrEqual(3_000);
      await stream.ended;
    }
    // No new connections, while the request in flight still holds the server up.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(server.child.exitCode).toBeNull();

    login.finish();
    const answer = await login.answered;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toHaveProperty('token');
    expect(answer.headers.connection).toBe('close');

    const { code, at } = await server.exited;
    expect(code).toBe(0);
    expect(at - signalled).toBeLessThan(10_000);
    expect(server.log()).toMatch(/Drained in \d+ ms\n/);
  });

  it('lets a reply being sent to a platform finish, and records it sent, before exiting 0', async () => {
    const token = '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    const secret = 'drain-test-secret';
    telegram = await startTelegramStandIn(token);
    const standIn = telegram;
    const sendPath = `/bot${token}/sendMessage`;
    // A slow platform: the bot's reply is on its way when SIGTERM arrives.
    standIn.failNext((req) => req.path === sendPath, { status: 200, delayMs: 1_500, json: { ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: 'private' } } } });
    const sending = new Promise<void>((resolve) => standIn.onRequest((req) => req.path === sendPath && resolve()));
    const server = await startBuilt({ TELEGRAM_API_URL: standIn.url, TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: secret });

    const ack = await fetch(`${server.url}/channels/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(loadFixture('telegram-text.json').body),
    });
    expect(ack.status).toBe(200);
    await sending;
    process.kill(server.child.pid as number, 'SIGTERM');

    expect((await server.exited).code).toBe(0);
    expect(server.log()).not.toMatch(/cut short/);
    const db = new Database(join(server.dataDir, 'desk.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT state FROM outbox').all()).toEqual([{ state: 'sent' }]);
    } finally {
      db.close();
    }
    expect(standIn.received((req) => req.path === sendPath)).toHaveLength(1);
  });

  it('gives a request that never finishes SHUTDOWN_GRACE_MS, then exits 0 anyway', async () => {
    const server = await startBuilt({ SHUTDOWN_GRACE_MS: '1000' });
    const login = halfSentLogin(server.url);
    login.answered.catch(() => {});
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const signalled = performance.now();
    process.kill(server.child.pid as number, 'SIGTERM');
    const { code, at } = await server.exited;
    expect(code).toBe(0);
    expect(at - signalled).toBeGreaterThanOrEqual(1_000);
    expect(at - signalled).toBeLessThan(5_000);
    expect(server.log()).toMatch(/cut short: requests/);
  });
});
