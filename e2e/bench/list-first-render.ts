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
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/env.ts';
import { signIn } from '../support/session.ts';
import { PASSWORD, quantile, startServer } from './harness.ts';
import { seedTickets } from './seed.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

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
  // The browser first: a Chromium that fails to start then leaves no server behind (the server's group is stopped below).
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const server = await startServer();
  try {
    const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
    await context.addInitScript(OBSERVER);
    const page = await context.newPage();
    await signIn(page, { email: 'ana@desk.local', password: PASSWORD });
    await page.goto('/tickets?bench');
    await page.waitForSelector('.ticket-row[data-ticket-id]');
    const seeded = Date.now();
    const total = (await seedTickets(page, TICKETS)).tickets;
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
    await server.stop();
  }
}

await main();
