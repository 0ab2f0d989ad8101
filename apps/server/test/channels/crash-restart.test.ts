import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../support/channel-fixtures.ts';
import { type StandIn, startTelegramStandIn } from '../support/platform-stand-ins.ts';
import { killServerProcess, type ServerProcess, startServerProcess } from '../support/server-process.ts';

const TOKEN = '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const SECRET = 'crash-test-secret';

/** A port nothing listens on: the platform is "down" while the first server runs. */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The real server as its own process group, pointed at `telegramApiUrl`. */
function startServer(dataDir: string, telegramApiUrl: string): Promise<ServerProcess> {
  return startServerProcess({
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: 'crash-test-admin',
    TELEGRAM_API_URL: telegramApiUrl,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
}

const kill = killServerProcess;

const running: ChildProcess[] = [];
let telegram: StandIn | undefined;
afterEach(async () => {
  await Promise.all(running.splice(0).map(kill));
  await telegram?.close();
});

describe('a server killed with SIGKILL', () => {
  it('between acknowledging a webhook and sending the reply still sends the reply once after restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-crash-'));
    const first = await startServer(dataDir, `http://127.0.0.1:${await deadPort()}`);
    running.push(first.child);

    const update = loadFixture('telegram-text.json').body;
    const ack = await fetch(`${first.url}/channels/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    expect(ack.status).toBe(200);
    // Acknowledged, so the message and its queued reply are on disk; the platform is unreachable,
    // so nothing has gone out. Now the process dies without any chance to clean up.
    await kill(first.child);

    telegram = await startTelegramStandIn(TOKEN);
    const sends = () => (telegram as StandIn).received((r) => r.path === `/bot${TOKEN}/sendMessage`);
    const second = await startServer(dataDir, telegram.url);
    running.push(second.child);
    await expect.poll(() => sends().length, { timeout: 15_000 }).toBe(1);
    expect(sends()[0]?.json).toMatchObject({ chat_id: (update as { message: { chat: { id: number } } }).message.chat.id, text: expect.any(String) });

    // The outbox row is marked sent, so no later life of the server sends it again.
    const db = new Database(join(dataDir, 'desk.sqlite'), { readonly: true });
    try {
      const outbox = () => db.prepare('SELECT state, attempts FROM outbox').all();
      await expect.poll(outbox).toEqual([{ state: 'sent', attempts: expect.any(Number) }]);
    } finally {
      db.close();
    }
  }, 60_000);
});
