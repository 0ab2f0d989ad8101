/**
 * The ticket list's time to first render with 50,000 tickets in IndexedDB (issue 5).
 *
 * Starts the real server (demo workspace, temporary DATA_DIR, free loopback port) serving the built
 * PWA (build apps/web first), signs Ana in in headless Chromium, seeds 50,000 tickets (each with a
 * requester and a message) into her local store through the app's own Dexie database, then loads
 * /tickets again and again and measures, in the page:
 *   - navigation start → first ticket row on screen (app boot, session check, chunk, query, rows)
 *   - list mounted → first ticket row (the list's own work: ids for 50,000 tickets, then the rows in view)
 * at a desktop size and at 375 px. Prints medians and p95.
 *
 * Run from e2e/: `../node_modules/.bin/tsx bench/list-first-render.ts` (env: BENCH_TICKETS, BENCH_RUNS).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/env.ts';
import { signIn } from '../support/session.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TICKETS = Number(process.env.BENCH_TICKETS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PASSWORD = 'bench-admin-password';

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startServer() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-list-bench-'));
  const webDist = join(dataDir, 'web');
  cpSync(join(ROOT, 'apps/web/dist'), webDist, { recursive: true });
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'apps/server/src/main.ts')], {
    stdio: 'ignore',
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, DATA_DIR: dataDir, WEB_DIST: webDist, DEMO: '1', ADMIN_EMAIL: 'admin@desk.local', ADMIN_PASSWORD: PASSWORD },
  });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  stop();
  throw new Error('server did not start');
}

interface BenchDb {
  tickets: { bulkPut(rows: unknown[]): Promise<unknown>; count(): Promise<number> };
  contacts: { bulkPut(rows: unknown[]): Promise<unknown> };
  messages: { bulkPut(rows: unknown[]): Promise<unknown> };
}
type BenchWindow = Window & { __deskBench?: { localSync(): { db: BenchDb; agentId: string } | null } };

/** Seeds the tickets through the app's open database (the `?bench` hooks expose it). */
async function seed(page: Page, count: number): Promise<number> {
  return page.evaluate(async (total) => {
    const w = window as BenchWindow;
    for (let i = 0; i < 400 && !w.__deskBench?.localSync(); i++) await new Promise((r) => setTimeout(r, 25));
    const sync = w.__deskBench?.localSync();
    if (!sync) throw new Error('bench hooks not loaded: is apps/web/dist a fresh build?');
    const statuses = ['new', 'open', 'pending', 'on-hold', 'solved'];
    const priorities = ['low', 'normal', 'high', 'urgent'];
    const start = Date.now() - total * 60_000;
    const chunk = 5000;
    for (let from = 0; from < total; from += chunk) {
      const tickets = [];
      const contacts = [];
      const messages = [];
      for (let i = from; i < Math.min(total, from + chunk); i++) {
        const at = new Date(start + i * 60_000).toISOString();
        const assigneeId = i % 4 === 0 ? null : sync.agentId;
        tickets.push({
          id: `bench-t${i}`,
          number: 100_000 + i,
          subject: `Bench ticket ${i} — billing question`,
          status: statuses[i % statuses.length],
          priority: priorities[i % priorities.length],
          tags: i % 3 === 0 ? ['bench', 'vip'] : ['bench'],
          assigneeId,
          assignee: assigneeId ?? 'none',
          contactId: `bench-c${i}`,
          channel: 'webchat',
          conversationId: `bench-v${i}`,
          intentId: null,
          intentConfidence: null,
          createdAt: at,
          updatedAt: at,
          solvedAt: null,
        });
        contacts.push({ id: `bench-c${i}`, name: `Customer ${i}`, phone: `+55119${String(10_000_000 + i)}`, email: null, designatedAgentId: null, identities: [{ channel: 'webchat', externalId: `bench-${i}` }], createdAt: at, updatedAt: at });
        messages.push({ id: `bench-m${i}`, conversationId: `bench-v${i}`, ticketId: `bench-t${i}`, authorKind: 'user', agentId: null, text: `Hello, this is message ${i} about my invoice`, attachments: [], channelMessageId: null, delivery: null, createdAt: at });
      }
      await sync.db.tickets.bulkPut(tickets);
      await sync.db.contacts.bulkPut(contacts);
      await sync.db.messages.bulkPut(messages);
    }
    return sync.db.tickets.count();
  }, count);
}

/** Records, in the page, when the list and its first row first appear. */
const OBSERVER = () => {
  const marks: { list?: number; row?: number } = {};
  (window as unknown as { __listMarks: typeof marks }).__listMarks = marks;
  new MutationObserver(() => {
    if (marks.list === undefined && document.querySelector('.ticket-list')) marks.list = performance.now();
    if (marks.row === undefined && document.querySelector('.ticket-row[data-ticket-id]')) marks.row = performance.now();
  }).observe(document, { childList: true, subtree: true });
};

async function measure(page: Page): Promise<{ nav: number; list: number }> {
  await page.goto('/tickets');
  await page.waitForFunction(() => (window as unknown as { __listMarks: { row?: number } }).__listMarks.row !== undefined, undefined, { timeout: 60_000 });
  const marks = await page.evaluate(() => (window as unknown as { __listMarks: { list: number; row: number } }).__listMarks);
  return { nav: marks.row, list: marks.row - marks.list };
}

async function main() {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
    await context.addInitScript(OBSERVER);
    const page = await context.newPage();
    await signIn(page, { email: 'ana@desk.local', password: PASSWORD });
    await page.goto('/tickets?bench');
    await page.waitForSelector('.ticket-row[data-ticket-id]');
    const seeded = Date.now();
    const total = await seed(page, TICKETS);
    console.log(`seeded ${TICKETS} tickets (+ requesters and messages) in ${((Date.now() - seeded) / 1000).toFixed(1)} s; ${total} tickets in IndexedDB`);
    for (const viewport of [
      { name: 'desktop 1280×800', width: 1280, height: 800 },
      { name: 'phone 375×740', width: 375, height: 740 },
    ]) {
      await page.setViewportSize(viewport);
      await measure(page); // warm-up (HTTP cache, IndexedDB caches)
      const nav: number[] = [];
      const list: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const result = await measure(page);
        nav.push(result.nav);
        list.push(result.list);
      }
      const f = (v: number) => `${v.toFixed(0)} ms`;
      console.log(
        `${viewport.name}: first row ${f(quantile(nav, 0.5))} after navigation (p95 ${f(quantile(nav, 0.95))}); ` +
          `list mount → first row ${f(quantile(list, 0.5))} (p95 ${f(quantile(list, 0.95))}) over ${RUNS} loads`,
      );
    }
  } finally {
    await browser.close();
    server.stop();
  }
}

await main();
