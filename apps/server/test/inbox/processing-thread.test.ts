import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../support/channel-fixtures.ts';
import { type StandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';
import { killServerProcess, startServerProcess } from '../support/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { testDialect } from '../support/test-db.ts';

const TOKEN = '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const SECRET = 'thread-test-secret';
const ADMIN_PASSWORD = 'thread-test-admin';
const METRICS_TOKEN = 'thread-test-metrics';

const running: ChildProcess[] = [];
let telegram: StandIn | undefined;
let postgres: TestDatabase | undefined;
afterEach(async () => {
  await Promise.all(running.splice(0).map(killServerProcess));
  await telegram?.close();
  await postgres?.drop();
});

// SQLite: the threads share the file and their pokes cross a MessageChannel; the server-postgres
// project runs it again on PostgreSQL, where the thread has its own pool and LISTEN/NOTIFY connection.
describe('the processing thread (the real server, PROCESSING_THREAD on by default)', () => {
  it('replies with the channel credentials an admin saved after the start, and /metrics counts what it processed', async () => {
    telegram = await startTelegramStandIn(TOKEN);
    // No Telegram credentials at start: both threads load none; the admin's change must reach the thread that sends.
    postgres = testDialect() === 'postgres' ? await createTestDatabase('processing_thread') : undefined;
    const server = await startServerProcess({
      ...(postgres && { DATABASE_URL: postgres.url }),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'desk-thread-')),
      ADMIN_PASSWORD,
      METRICS_TOKEN,
      TELEGRAM_API_URL: telegram.url,
    });
    running.push(server.child);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@desk.local', password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const saved = await fetch(`${server.url}/api/integrations/channels/telegram`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ values: { botToken: TOKEN, webhookSecret: SECRET } }),
    });
    expect(saved.status).toBe(200);

    const update = loadFixture<{ message: { chat: { id: number } } }>('telegram-text.json').body;
    const ack = await fetch(`${server.url}/channels/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    expect(ack.status).toBe(200);

    // The bot's answer goes out from the processing thread, with the token saved on the request thread.
    await expect
      .poll(() => telegram?.requests.filter((r) => r.path === `/bot${TOKEN}/sendMessage` && r.json?.chat_id === update.message.chat.id).length, { timeout: 20_000 })
      .toBe(1);
    // The processor's counter lives in the thread; a scrape on the request thread adds it.
    const processed = async () => {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      return Number(/^desk_inbox_processed_messages_total (\S+)$/m.exec(await res.text())?.[1]);
    };
    await expect.poll(processed, { timeout: 10_000 }).toBe(1);
    if (!postgres) {
      // SQLite shared with the thread: the time the webhooks' inserts waited for its write lock is scraped too.
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(Number(/^desk_inbox_insert_lock_wait_seconds_total (\S+)$/m.exec(await res.text())?.[1])).toBeGreaterThanOrEqual(0);
    }
  });
});
