/**
 * The phone profile benchmark (issue 17): 375 × 667, touch, Chromium's CPU throttling at 4× (a
 * phone-class CPU), 5,000 tickets and 50,000 messages in the agent's IndexedDB. Each figure is
 * measured in the page over BENCH_RUNS runs (default 20) and printed as median and p75, with the
 * same runs without throttling beside them (the machine's own speed: the baseline).
 *
 *   tap → newest messages   a touch on a list row (the event's own timestamp) until the frame after the
 *                            ticket's newest message is laid out inside its conversation on screen   (goal p75 ≤ 100 ms)
 *   tap → whole conversation   the same, until every message the view opens with (its newest 30) is in it
 *   first tap after opening   tap → newest messages on a page just opened (once idle), the tap a person makes first (goal p75 ≤ 100 ms)
 *   warm open → first page   navigation start of a reload (service worker and IndexedDB warm, the previous
 *                            page idle) until the frame that paints the first list row                (goal ≤ 500 ms)
 *   keystroke → painted      a key's keydown timestamp until the frame after the composer's input     (goal ≤ 16 ms)
 *     less the frame wait    the same less the time the page sat idle waiting for the display's next
 *                            frame (0–16.7 ms at 60 Hz on any page): the key's own latency
 *     Event Timing           the web's own measure of it (what INP reads): the keydown's PerformanceEventTiming
 *                            duration, from the event's timestamp to the presentation of the next frame after its
 *                            handlers, in the API's 8 ms steps, over the keys that got an entry (printed as k/N:
 *                            a key gets none under the API's 16 ms floor, or when Chromium never learns its
 *                            frame's presentation time, as happens in headless Chromium to keys typed into a
 *                            textarea at the window's bottom edge, where Desk's composer is pinned)
 *   scroll 1,000 rows        a fast fling (BENCH_SCROLL_STEP px a frame) through 1,000 rows: the Long
 *                            Tasks API's tasks over 50 ms (goal: none), the longest frame gap and the frames
 *                            whose list showed no row at its bottom edge (rows drawn late or not at all). Each fling
 *                            starts as soon as the list's first row is on screen, in a list opened as the
 *                            installed app opens it: from a blank page, none of the previous page's memory left
 *
 * Same-run baselines (bare-pages.ts), measured by the same probes at the same throttling, half their runs
 * before Desk's and half after: a bare page with only a plain textarea of the composer's size and font,
 * and a static list of 1,010 plain rows of the list's row height. They are the machine's own limit: when
 * the bare textarea is above 16 ms too, the keystroke figure to read is Desk's ratio to it.
 *
 * Everything runs against the real server (demo workspace, temporary DATA_DIR, a copy of the built
 * PWA with the `?bench` hooks, see harness.ts) on a free loopback port; the server is stopped at the end.
 * Run from e2e/: `npm run bench:phone` after `npx -y pnpm@12.4.2 -r --if-present run build`.
 * Env: BENCH_RUNS, BENCH_TICKETS (default 5000), BENCH_MESSAGES (per ticket, default 10), BENCH_SCROLL_STEP (default 200),
 * BENCH_WEB_DIST (another build of the PWA, for A/B runs), BENCH_PHASES (some of open,tap,firsttap,keystroke,scroll), BENCH_TRACE=<folder> (a Chromium trace of each 4× phase, no 1× runs; BENCH_TRACE_RATE=1 traces the unthrottled runs instead; BENCH_TRACE_SAMPLES=0 without the CPU profiler; BENCH_TRACE_EXTRA=<categories> more trace categories, e.g. toplevel for each task's origin;
 * BENCH_SCROLL_SAME_HEAP=1 reloads the list in place before each fling instead; BENCH_OPEN_IN_PLACE=1 the warm open as until this stop (reloaded while the previous open was still at work, a frame later); BENCH_OPEN_FROM_BLANK=1 each open from a blank page; BENCH_HEAP=1 what the list's load and each fling allocated;
 * read one with `../node_modules/.bin/tsx bench/trace-summary.ts <file>`).
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type Browser, type CDPSession, chromium, type Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/env.ts';
import { signIn } from '../support/session.ts';
import { BARE_HOST, bareList, bareTextarea, composerLook, serveBarePages, type TextareaLook } from './bare-pages.ts';
import { PASSWORD, quantile, startServer } from './harness.ts';
import { seedTickets } from './seed.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 5000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10);
const SCROLL_STEP = Number(process.env.BENCH_SCROLL_STEP ?? 200);
const ROWS_TO_SCROLL = 1000;
/** A folder: each phase of the 4× profile is recorded as a Chromium trace there (read it with trace-summary.ts). */
const TRACE_DIR = process.env.BENCH_TRACE;
/** BENCH_VERBOSE=1: each scroll run's long tasks, with when they began after the fling's start; each key's figure. */
const VERBOSE = process.env.BENCH_VERBOSE === '1';
/** BENCH_HEAP=1: what each Desk fling allocated, by function (V8's sampling heap profiler, collected objects included). */
const HEAP = process.env.BENCH_HEAP === '1';
/**
 * BENCH_SCROLL_SAME_HEAP=1: each fling's list is reloaded in place, as the bench did until this stop: the
 * previous page's memory is then still in the heap the fling runs in (to compare with earlier figures).
 */
const SAME_HEAP = process.env.BENCH_SCROLL_SAME_HEAP === '1';
/**
 * BENCH_OPEN_IN_PLACE=1: the warm open as until this stop: the list reloaded as soon as the previous
 * open had its first row (that page's unfinished start-up work then ran inside the figure, before the
 * opened page existed), and the probe waiting for the frame after the row's.
 */
const OPEN_IN_PLACE = process.env.BENCH_OPEN_IN_PLACE === '1';
/**
 * BENCH_OPEN_FROM_BLANK=1: each warm open from a blank page instead (none of the previous page's memory;
 * Chromium may then start a new renderer process, whose cold start is in the figure).
 */
const OPEN_FROM_BLANK = process.env.BENCH_OPEN_FROM_BLANK === '1';
/** Only these phases (comma-separated: open, tap, keystroke, scroll), e.g. while working on one of them; all by default. */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'open,tap,firsttap,keystroke,scroll').split(','));
/** The CPU throttling of a traced run (BENCH_TRACE_RATE, default 4; 1 traces the unthrottled run instead). */
const TRACE_RATE = Number(process.env.BENCH_TRACE_RATE ?? 4);
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  // The CPU profiler's samples weigh on the page (and, throttled, land on whatever was on the stack): BENCH_TRACE_SAMPLES=0 leaves them out.
  ...(process.env.BENCH_TRACE_SAMPLES === '0' ? [] : ['disabled-by-default-v8.cpu_profiler']),
  'v8.execute',
  'blink.user_timing',
  'loading',
  ...(process.env.BENCH_TRACE_EXTRA ?? '').split(',').filter(Boolean),
];

/**
 * In-page probes, installed before any page script runs. They report through the console (see
 * `reported`): waiting on them from here runs no Playwright script in the page while it is measured
 * (compiling Playwright's injected script alone costs a phone-class CPU about 80 ms).
 */
const PROBES = () => {
  const w = window as unknown as Record<string, unknown>;
  const report = (name: string, millis: number) => {
    performance.mark(`__bench ${name}`);
    console.debug('__bench', name, millis);
  };
  /** Resolves with the time right after the next frame is painted. */
  const afterPaint = () =>
    new Promise<number>((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(0);
      }),
    );
  w.__afterPaint = afterPaint;
  // Event Timing (the API INP is built on): each keydown's duration, by the event's timestamp. Observed from
  // the document's start, as its buffer keeps only entries of 104 ms and more; 16 ms is the API's floor.
  const keyDurations = new Map<number, number>();
  const eventTimings = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'keydown') keyDurations.set(entry.startTime, entry.duration);
  });
  eventTimings.observe({ type: 'event', durationThreshold: 16, buffered: false } as PerformanceObserverInit);
  /** The keydown timestamps of the keys armed since the last `__keyEventTimings`. */
  let armedKeys: number[] = [];
  /**
   * The armed keys' Event Timing durations, once their frames' presentation times are in (they come from
   * the GPU process after the frame: a quarter of a second later they are all there, or under the floor).
   */
  w.__keyEventTimings = () =>
    new Promise<number[]>((resolve) =>
      setTimeout(() => {
        for (const entry of eventTimings.takeRecords()) if (entry.name === 'keydown') keyDurations.set(entry.startTime, entry.duration);
        // -1: no entry (under the API's 16 ms floor, or its frame's presentation time never came).
        const durationOf = (start: number) => [...keyDurations].find(([at]) => Math.abs(at - start) < 0.5)?.[1] ?? -1;
        resolve(armedKeys.map(durationOf));
        keyDurations.clear();
        armedKeys = [];
      }, 250),
    );
  // Warm open: the first list row on screen, checked every frame from the document's start (not on
  // the bare baseline pages, which have no list to wait for, nor on the blank page opened before).
  // Found in a frame's animation callbacks, the row is painted by that very frame: the figure is the
  // time right after it. (Until this stop the probe waited for the frame after it, one frame more,
  // and whatever tasks ran in between; BENCH_OPEN_IN_PLACE=1 measures that way again.)
  const openInPlace = (w.__benchOpenInPlace as boolean | undefined) === true;
  const firstRow = () => {
    if (document.querySelector('.ticket-row[data-ticket-id]')) {
      if (openInPlace) void afterPaint().then((t) => report('row', t));
      else {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => report('row', performance.now());
        channel.port2.postMessage(0);
      }
    } else requestAnimationFrame(firstRow);
  };
  if (location.hostname !== 'bare.bench' && location.protocol !== 'about:') requestAnimationFrame(firstRow);

  /** Tap → the ticket's newest message laid out inside its conversation, on screen; then → all `count` messages it opens with. */
  w.__armTap = (ticketId: string, newestText: string, count: number) => {
    let start = Number.NaN;
    addEventListener('pointerdown', (event) => (start = event.timeStamp), { capture: true, once: true });
    {
      let done = false;
      const check = () => {
        if (done) return;
        const view = document.querySelector(`.ticket-view[data-ticket-id="${ticketId}"]`);
        const conversation = view?.querySelector('.ticket-conversation');
        const messages = view?.querySelectorAll('.message');
        const newest = messages?.[messages.length - 1];
        if (!conversation || !newest?.textContent?.includes(newestText)) return;
        const box = newest.getBoundingClientRect();
        const frame = conversation.getBoundingClientRect();
        if (box.bottom > frame.bottom + 1 || box.top < frame.top - 1 || box.bottom > innerHeight) return;
        if (!newestShown) {
          newestShown = true;
          void afterPaint().then((t) => report('tap', t - start));
        }
        if ((messages?.length ?? 0) < count) return;
        done = true;
        observer.disconnect();
        void afterPaint().then((t) => report('tapAll', t - start));
      };
      let newestShown = false;
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      const poll = () => {
        check();
        if (!done) requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    }
  };

  /**
   * Keystroke → painted; and the same less the time the page sat idle waiting for the display's next
   * frame (`keyOwn`). A 60 Hz display draws a frame every 16.7 ms: a key arriving at a random moment
   * waits 0–16.7 ms for it (8.3 on average) on any page, the bare textarea's too. What is left is the
   * key's own latency: its way to the page and its handlers, then the frame's work until it is painted.
   * The idle wait is measured from the end of the input's handlers (the last listener on the textarea,
   * added after the app's) to the start of the frame's animation callbacks (ours is the first one asked
   * for after the key: the window's capture-phase listener runs before any other).
   */
  w.__armKey = () => {
    const reply = document.getElementById('ticket-reply');
    reply?.addEventListener(
      'keydown',
      (event) => {
        const start = event.timeStamp;
        armedKeys.push(start);
        let taskEnd = Number.NaN;
        // First of all the input's listeners: the first animation callback asked for after the key.
        addEventListener(
          'input',
          () =>
            requestAnimationFrame(() => {
              const frameStart = performance.now();
              const painted = new MessageChannel();
              painted.port1.onmessage = () => {
                const end = performance.now();
                const idle = Number.isNaN(taskEnd) ? 0 : Math.max(0, frameStart - taskEnd);
                report('keyOwn', end - start - idle);
                report('key', end - start);
              };
              painted.port2.postMessage(0);
            }),
          { capture: true, once: true },
        );
        // Last of them (added after the app's own): the key's handlers are done.
        reply.addEventListener('input', () => (taskEnd = performance.now()), { once: true });
      },
      { once: true },
    );
  };

  /** Scrolls the list through `rows` rows, a step a frame; long tasks and frame gaps meanwhile. */
  w.__scroll = (rows: number, rowHeight: number, step: number) =>
    new Promise<{ longTasks: number[]; longTasksAt: number[]; maxGap: number; frames: number; slowFrames: number; blankFrames: number; blankSeen?: string; stuckAt?: number }>((resolve) => {
      const el = document.querySelector<HTMLElement>('[data-testid="ticket-scroll"]');
      if (!el) throw new Error('no list');
      const longTasks: number[] = [];
      // When each began, from the fling's start (a long task right at the start belongs to the page's start, not to scrolling).
      const longTasksAt: number[] = [];
      const flingStart = performance.now();
      performance.mark('__bench scroll start');
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          longTasks.push(entry.duration);
          longTasksAt.push(entry.startTime - flingStart);
        }
      });
      observer.observe({ type: 'longtask' });
      // Not capped at the list's height now: the fling starts at the first row on screen, when Desk's list
      // may still be the last session's first page (20 rows) until the store's answer makes it whole.
      // Capped, such a fling ended after a screen or two, with nothing measured.
      const target = rows * rowHeight;
      let last = performance.now();
      let maxGap = 0;
      let frames = 0;
      let slowFrames = 0;
      // Frames whose list showed no row (not even a placeholder) at its bottom edge, the side rows come in
      // from: a list that drew fewer rows, or drew them later, would be cheaper and show gaps instead.
      // The edge is read each frame (after the frame's layout, which the scroll below forces anyway), and
      // where the list goes below the window, at the window's bottom: read once at the fling's start, it
      // was once wrong for a whole fling (the list laid out differently then, the point outside the window).
      let blankFrames = 0;
      /** What the first blank frame showed there instead (BENCH_VERBOSE prints it). */
      let blankSeen: string | undefined;
      // A list that stops moving (it got shorter, or the page changed under it) ends the run, saying so.
      let lastTop = -1;
      let still = 0;
      // A run is bounded in time too (60 s is a frame of over 100 ms all along the 520 frames of a run).
      const started = performance.now();
      const tick = (now: number) => {
        const gap = now - last;
        last = now;
        frames += 1;
        if (frames > 1) maxGap = Math.max(maxGap, gap);
        if (gap > 34) slowFrames += 1;
        still = el.scrollTop === lastTop ? still + 1 : 0;
        const box = el.getBoundingClientRect();
        const edge = Math.min(box.bottom, innerHeight) - 2;
        const seen = document.elementFromPoint(box.left + box.width / 2, edge);
        if (!seen?.closest('li')) {
          blankFrames += 1;
          blankSeen ??= `${seen ? `${seen.tagName.toLowerCase()}${seen.className ? `.${String(seen.className).split(' ').join('.')}` : ''}${el.contains(seen) ? ' (in the list)' : ''}` : 'nothing'} at y ${Math.round(edge)} (list ${Math.round(box.top)}–${Math.round(box.bottom)}, window ${innerHeight})`;
        }
        lastTop = el.scrollTop;
        const late = now - started > 60_000;
        if (el.scrollTop >= target || still > 120 || late) {
          setTimeout(() => {
            observer.disconnect();
            performance.mark('__bench scroll end');
            resolve({ longTasks, longTasksAt, maxGap, frames, slowFrames, blankFrames, blankSeen, ...((still > 120 || late) && { stuckAt: el.scrollTop }) });
          }, 200);
          return;
        }
        el.scrollTop = Math.min(target, el.scrollTop + step);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
};

/** A probe's figure, reported through the console; call it before the action it measures. */
async function reported(page: Page, name: string, timeout = 20_000): Promise<number> {
  const message = await page.waitForEvent('console', { predicate: (m) => m.text().startsWith(`__bench ${name} `), timeout }).catch(async (error) => {
    const view = await page.evaluate(() => document.querySelector('.ticket-view')?.outerHTML.slice(0, 600) ?? 'no ticket view').catch(() => '');
    throw new Error(`${name} was not reported: ${String(error)}\n${view}`);
  });
  return Number(message.text().split(' ')[2]);
}
const progress = (what: string) => process.stderr.write(`  ${what}\n`);

async function toList(page: Page, bench = false) {
  await page.goto(bench ? '/tickets?bench' : '/tickets');
  await page.waitForSelector('.ticket-row[data-ticket-id]');
  if (bench) await page.waitForFunction(() => (window as unknown as { __deskBench?: { localSync(): unknown } }).__deskBench?.localSync());
}

/**
 * Warm open: the installed app opened again, its service worker and IndexedDB warm. The previous open's
 * page first finishes its own start (the main thread idle): an app being opened has no page before it
 * still at work. The reload's unload of that page stays in the figure.
 */
async function warmOpen(page: Page, cdp: CDPSession): Promise<number> {
  if (OPEN_FROM_BLANK) {
    await page.goto('about:blank');
    await cdp.send('HeapProfiler.collectGarbage');
  } else if (!OPEN_IN_PLACE && page.url().includes('/tickets')) {
    await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => requestIdleCallback(() => resolve(), { timeout: 3000 }), { timeout: 3000 })));
  }
  const row = reported(page, 'row', 60_000);
  await page.goto('/tickets');
  return row;
}

/** Tap → newest message, and tap → the whole conversation the view opens with (ms). */
async function tapTicket(page: Page, run: number): Promise<[number, number]> {
  // A different part of the list each run; then a row wholly inside the list's visible box.
  const scroller = page.getByTestId('ticket-scroll');
  await scroller.evaluate((el, top) => {
    el.scrollTop = top;
  }, run * 312);
  const frame = await scroller.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return { top: box.top, bottom: box.bottom };
  });
  // The first row wholly inside it, read in the page in one go: rows are re-rendered as the list's
  // pages are read, so a row looked up first and measured afterwards may be gone by then.
  const id = await page
    .waitForFunction(
      ({ top, bottom }) =>
        [...document.querySelectorAll<HTMLElement>('.ticket-row[data-ticket-id]')].find((row) => {
          const box = row.getBoundingClientRect();
          return box.top >= top && box.bottom <= bottom;
        })?.dataset.ticketId ?? false,
      frame,
    )
    .then((handle) => handle.jsonValue() as Promise<string>);
  // The ticket's newest message as stored (the `?bench` hooks read the app's database).
  const newest = await page.evaluate(async (ticketId) => {
    const bench = (window as unknown as { __deskBench: { localSync(): { db: unknown }; ticketMessages(db: unknown, id: string): Promise<{ text: string }[]> } }).__deskBench;
    const messages = await bench.ticketMessages(bench.localSync().db, ticketId);
    return { text: messages[messages.length - 1]?.text ?? '', count: messages.length };
  }, id);
  // The view opens with the newest 30 messages (Conversation's first step).
  const count = Math.min(30, newest.count);
  await page.evaluate(([ticketId, text, n]) => (window as unknown as { __armTap(id: string, text: string, count: number): void }).__armTap(ticketId, text, n), [id, newest.text.slice(0, 40), count] as const);
  // A touch tap that Playwright first checks lands on the row (no toast or skeleton in the way).
  const tapped = reported(page, 'tap');
  const all = reported(page, 'tapAll');
  await page.locator(`.ticket-row[data-ticket-id="${id}"]`).tap();
  const millis = await Promise.all([tapped, all]).catch(async (error) => {
    await page.screenshot({ path: `/tmp/phone-bench-tap-${run}.png` });
    throw new Error(`run ${run}, ticket ${id}: ${String(error)}`);
  });
  // As a person would, only after the ticket's history entry is there (added once the view painted).
  await page.waitForURL((url) => url.searchParams.get('ticket') === id);
  await page.goBack();
  await page.waitForSelector('.ticket-row[data-ticket-id]');
  return millis;
}

/** Keystroke → painted, and the same less the idle wait for the display's next frame (ms); its Event Timing duration comes from `keyEventTimings`. */
async function keystroke(page: Page, run: number): Promise<[number, number]> {
  await page.evaluate(() => (window as unknown as { __armKey(): void }).__armKey());
  const painted = reported(page, 'key');
  const own = reported(page, 'keyOwn');
  await page.keyboard.press(run % 2 === 0 ? 'a' : 'b');
  return Promise.all([painted, own]);
}

/** The Event Timing durations of the keys typed into `page` since the last call (ms; NaN: the key got no entry). */
async function keyEventTimings(page: Page): Promise<number[]> {
  const durations = await page.evaluate(() => (window as unknown as { __keyEventTimings(): Promise<number[]> }).__keyEventTimings());
  return durations.map((duration) => (duration < 0 ? Number.NaN : duration));
}

interface Figures {
  tap: number[];
  tapAll: number[];
  /** Tap → newest messages, the first tap on a page just opened (a person's first tap after opening the app). */
  firstTap: number[];
  open: number[];
  key: number[];
  /** The keystroke less the idle wait for the display's next frame (the key's own latency). */
  keyOwn: number[];
  /** The keystroke's Event Timing duration (PerformanceEventTiming, INP's measure; 8 ms steps; NaN: no entry). */
  keyEvent: number[];
  longest: number[];
  longTasks: number[];
  maxGap: number[];
  blankFrames: number[];
  /** The same-run baselines: a bare textarea, a bare static list (bare-pages.ts). */
  bareKey: number[];
  bareKeyOwn: number[];
  bareKeyEvent: number[];
  bareLongest: number[];
  bareLongTasks: number[];
  bareMaxGap: number[];
}

/** The bare baseline page, in its own context (same viewport and touch), throttled like Desk's page. */
interface Bare {
  page: Page;
  cdp: CDPSession;
}

async function profile(browser: Browser, page: Page, cdp: CDPSession, bare: Bare, rate: number): Promise<Figures> {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await bare.cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const figures: Figures = { tap: [], tapAll: [], firstTap: [], open: [], key: [], keyOwn: [], keyEvent: [], longest: [], longTasks: [], maxGap: [], blankFrames: [], bareKey: [], bareKeyOwn: [], bareKeyEvent: [], bareLongest: [], bareLongTasks: [], bareMaxGap: [] };
  // Half the bare runs before Desk's and half after (the machine's load drifts), each set in one go.
  const half = Math.ceil(RUNS / 2);
  const bareKeys = async (runs: number) => {
    await bare.page.bringToFront();
    await bare.page.goto(`http://${BARE_HOST}/textarea`);
    await bare.page.locator('#ticket-reply').tap();
    await keystroke(bare.page, 0); // warm-up: a page's first key pays for setting up text input
    await keyEventTimings(bare.page);
    for (let i = 0; i < runs; i++) {
      const [key, own] = await keystroke(bare.page, i);
      if (VERBOSE) progress(`bare key ${i}: ${f(key)} ms, less the frame wait ${f(own)} ms`);
      figures.bareKey.push(key);
      figures.bareKeyOwn.push(own);
    }
    figures.bareKeyEvent.push(...(await keyEventTimings(bare.page)));
  };
  const bareScrolls = async (runs: number) => {
    await bare.page.bringToFront();
    for (let i = 0; i < runs; i++) {
      await bare.page.goto(`http://${BARE_HOST}/list`);
      const result = await fling(bare.page);
      if (VERBOSE) progress(`bare scroll run ${i}: ${result.longTasks.length} long tasks, longest frame gap ${f(result.maxGap)} ms${result.stuckAt === undefined ? '' : `, stopped at ${result.stuckAt} px`}`);
      figures.bareLongest.push(Math.max(0, ...result.longTasks));
      figures.bareLongTasks.push(result.longTasks.length);
      figures.bareMaxGap.push(result.maxGap);
    }
  };
  /** The measured runs of a phase, traced when BENCH_TRACE names a folder. */
  const traced = async (phase: string, runs: () => Promise<void>) => {
    if (!PHASES.has(phase)) return;
    progress(`CPU ${rate}×: ${phase}`);
    if (!TRACE_DIR) return runs();
    mkdirSync(TRACE_DIR, { recursive: true });
    await browser.startTracing(page, { path: join(TRACE_DIR, `${phase}-${rate}x.json`), categories: TRACE_CATEGORIES });
    try {
      await runs();
    } finally {
      await browser.stopTracing();
    }
  };
  await traced('open', async () => {
    await warmOpen(page, cdp); // warm-up
    for (let i = 0; i < RUNS; i++) figures.open.push(await warmOpen(page, cdp));
  });
  await traced('tap', async () => {
    await toList(page, true);
    await tapTicket(page, 0); // warm-up
    for (let i = 0; i < RUNS; i++) {
      const [newest, all] = await tapTicket(page, i);
      figures.tap.push(newest);
      figures.tapAll.push(all);
    }
  });
  await traced('firsttap', async () => {
    for (let i = 0; i < RUNS; i++) {
      await toList(page, true);
      // A person taps a moment after the list shows: the page has been idle by then.
      await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 3000 })));
      const [newest] = await tapTicket(page, i);
      figures.firstTap.push(newest);
    }
  });
  await traced('keystroke', async () => {
    await page.goto('/tickets?ticket=bench-t1');
    await page.locator('#ticket-reply').tap();
    composer.look ??= await composerLook(page);
    await bareKeys(half);
    await page.bringToFront();
    await keystroke(page, 0); // warm-up, as on the bare page
    await keyEventTimings(page);
    for (let i = 0; i < RUNS; i++) {
      const [key, own] = await keystroke(page, i);
      if (VERBOSE) progress(`key ${i}: ${f(key)} ms, less the frame wait ${f(own)} ms`);
      figures.key.push(key);
      figures.keyOwn.push(own);
    }
    figures.keyEvent.push(...(await keyEventTimings(page)));
    await page.locator('#ticket-reply').fill('');
    await bareKeys(RUNS - half);
  });
  await traced('scroll', async () => {
    await bareScrolls(half);
    await page.bringToFront();
    for (let i = 0; i < RUNS; i++) await scrollRun(page, i, figures, cdp);
    await bareScrolls(RUNS - half);
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  progress(`CPU ${rate}×, median / p75: ${(Object.keys(figures) as (keyof Figures)[]).map((key) => `${key} ${stat(figures[key])}`).join(', ')}`);
  return figures;
}

/** The fling probe through ROWS_TO_SCROLL rows of Desk's height, on whatever list `page` shows. */
function fling(page: Page) {
  return page.evaluate(
    ([rows, step]) =>
      (window as unknown as { __scroll(rows: number, height: number, step: number): Promise<{ longTasks: number[]; longTasksAt: number[]; maxGap: number; blankFrames: number; blankSeen?: string; stuckAt?: number }> }).__scroll(rows, 104, step),
    [ROWS_TO_SCROLL, SCROLL_STEP] as const,
  );
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

async function scrollRun(page: Page, i: number, figures: Figures, cdp?: CDPSession) {
  if (cdp && !SAME_HEAP) {
    // The list opens as the installed app opens: with none of a previous page's memory in its heap (a
    // blank page in between; Chromium may also give it a new renderer process). Reloaded in place, the
    // whole previous page (its DOM, its 5,000 ids, its rows) was left to the new page's first full garbage
    // collection, which then ran inside the fling: a cost of the bench's reload, not of opening the app.
    await page.goto('about:blank');
    await cdp.send('HeapProfiler.collectGarbage');
  }
  if (HEAP && cdp) await startHeapSampling(cdp);
  await toList(page);
  if (HEAP && cdp) await reportHeapSampling(cdp, `scroll run ${i}: the list's load (navigation to the fling's start)`);
  if (HEAP && cdp) await startHeapSampling(cdp);
  const result = await fling(page);
  if (HEAP && cdp) await reportHeapSampling(cdp, `scroll run ${i}: the fling`);
  if (result.stuckAt !== undefined) progress(`scroll run ${i}: the list stopped moving or took over 60 s, at ${result.stuckAt} px (figures of this run kept)`);
  if (VERBOSE)
    progress(`scroll run ${i}: frame gap ${f(result.maxGap)} ms; blank frames ${result.blankFrames}${result.blankSeen ? ` (the first: ${result.blankSeen})` : ''}; long tasks ${result.longTasks.map((d, k) => `${f(d)} ms at +${f(result.longTasksAt[k] ?? 0)}`).join(', ') || 'none'}`);
  figures.longest.push(Math.max(0, ...result.longTasks));
  figures.longTasks.push(result.longTasks.length);
  figures.maxGap.push(result.maxGap);
  figures.blankFrames.push(result.blankFrames);
}

async function startHeapSampling(cdp: CDPSession) {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
}

/** What was allocated since `startHeapSampling`, by function (collected objects included). */
async function reportHeapSampling(cdp: CDPSession, what: string) {
  const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } };
  const bySite = new Map<string, number>();
  const walk = (node: SamplingNode) => {
    const frame = node.callFrame;
    const site = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\//, '')}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  const total = [...bySite.values()].reduce((a, b) => a + b, 0);
  progress(`${what}: ${(total / 1e6).toFixed(1)} MB allocated (sampled), most by:`);
  for (const [site, size] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 15)) progress(`  ${(size / 1e6).toFixed(2).padStart(7)} MB  ${site}`);
}

/** The composer's look, read from Desk's page before the bare textarea is first served. */
const composer: { look?: TextareaLook } = {};
const missingLook = (): never => {
  throw new Error("the bare textarea is served before Desk's composer was measured");
};

/** A figure in ms; "n/a" when there is none (no key of a set got an Event Timing entry). */
const f = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 1 : 0) : 'n/a');
/** a / b at quantile q ("n/a" when b is 0, no long task in the baseline, or when either has no figure). */
const ratio = (a: number[], b: number[], q = 0.75) => {
  const base = quantile(b, q);
  const value = quantile(a, q) / base;
  return base > 0 && Number.isFinite(value) ? value.toFixed(1) : 'n/a';
};
const stat = (values: number[]) => `${f(quantile(values, 0.5))} / ${f(quantile(values, 0.75))}`;

async function main() {
  // The browser first: a Chromium that fails to start then leaves no server behind (the server's group is stopped below).
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const server = await startServer();
  // Interrupted (Ctrl-C, a timeout's signal), the server's whole process group goes too.
  const interrupted = (signal: NodeJS.Signals) => {
    progress(`${signal}: stopping the server`);
    void Promise.allSettled([browser.close(), server.stop()]).then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, serviceWorkers: 'allow' });
    // tsx (esbuild) wraps named functions in `__name(…)`, which the page doesn't have.
    await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
    if (OPEN_IN_PLACE) await context.addInitScript({ content: 'globalThis.__benchOpenInPlace = true;' });
    await context.addInitScript(PROBES);
    const page = await context.newPage();
    // The bare baselines: another context of the same profile, no service worker, pages served by a route.
    const bareContext = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, serviceWorkers: 'block' });
    await bareContext.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
    await bareContext.addInitScript(PROBES);
    await serveBarePages(bareContext, {
      textarea: () => bareTextarea(composer.look ?? missingLook()),
      // Enough rows for the fling to go through ROWS_TO_SCROLL of them below the first screen.
      list: () => bareList(ROWS_TO_SCROLL + 10, 104),
    });
    const barePage = await bareContext.newPage();
    const bare = { page: barePage, cdp: await bareContext.newCDPSession(barePage) };
    await page.bringToFront();
    await signIn(page, { email: 'ana@desk.local', password: PASSWORD });
    await page.goto('/tickets?bench');
    await page.waitForSelector('.ticket-row[data-ticket-id]');
    const seededAt = Date.now();
    const seeded = await seedTickets(page, TICKETS, MESSAGES);
    console.log(`seeded ${seeded.tickets} tickets and ${seeded.messages} messages in ${((Date.now() - seededAt) / 1000).toFixed(1)} s`);
    // Warm: the service worker controls the page and has the app shell precached.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await toList(page);
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) throw new Error('the service worker does not control the page');
    const cdp = await context.newCDPSession(page);

    const throttled = await profile(browser, page, cdp, bare, TRACE_DIR ? TRACE_RATE : 4);
    const baseline = TRACE_DIR ? throttled : await profile(browser, page, cdp, bare, 1);
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    console.log(`\nphone profile 375×667, touch, ${TICKETS} tickets / ${TICKETS * MESSAGES} messages; ${RUNS} runs each; load average ${load} (2 shared cores)`);
    console.log('figure (median / p75, ms)                 4× CPU        no throttling   ratio (p75)   goal');
    const line = (name: string, a: number[], b: number[], goal: string) =>
      console.log(`${name.padEnd(42)}${stat(a).padEnd(14)}${stat(b).padEnd(16)}${ratio(a, b).padStart(5)}×        ${goal}`);
    line('tap a ticket → newest messages on screen', throttled.tap, baseline.tap, 'p75 ≤ 100');
    line('  → its whole conversation (newest 30)', throttled.tapAll, baseline.tapAll, '');
    line('  the first tap after the app opens', throttled.firstTap, baseline.firstTap, 'p75 ≤ 100');
    line('warm app open → first list page', throttled.open, baseline.open, '≤ 500');
    line('keystroke → painted', throttled.key, baseline.key, '≤ 16');
    line('  bare textarea (same run)', throttled.bareKey, baseline.bareKey, '');
    line('keystroke → painted, less the frame wait', throttled.keyOwn, baseline.keyOwn, '≤ 16');
    line('  bare textarea (same run)', throttled.bareKeyOwn, baseline.bareKeyOwn, '');
    // Over the keys that got an entry; how many did is printed after each figure (see the README).
    const reportedOf = (values: number[]) => `${values.filter(Number.isFinite).length}/${values.length}`;
    const eventLine = (name: string, a: number[], b: number[], goal: string) =>
      console.log(`${name.padEnd(42)}${`${stat(a)}, ${reportedOf(a)}`.padEnd(21)}${`${stat(b)}, ${reportedOf(b)}`.padEnd(21)}${ratio(a, b).padStart(5)}×   ${goal}`);
    eventLine('keystroke → presented, Event Timing', throttled.keyEvent, baseline.keyEvent, '≤ 16');
    eventLine('  bare textarea (same run)', throttled.bareKeyEvent, baseline.bareKeyEvent, '');
    line(`scroll ${ROWS_TO_SCROLL} rows: longest long task`, throttled.longest, baseline.longest, 'none > 50');
    line('  bare static list (same run)', throttled.bareLongest, baseline.bareLongest, '');
    line(`scroll ${ROWS_TO_SCROLL} rows: long tasks (count)`, throttled.longTasks, baseline.longTasks, '0');
    line('  bare static list (same run)', throttled.bareLongTasks, baseline.bareLongTasks, '');
    line(`scroll ${ROWS_TO_SCROLL} rows: longest frame gap`, throttled.maxGap, baseline.maxGap, '');
    line('  bare static list (same run)', throttled.bareMaxGap, baseline.bareMaxGap, '');
    line('scroll: frames, no row at the list bottom', throttled.blankFrames, baseline.blankFrames, '');
    console.log('\nDesk against the bare pages, p75 (median), same CPU:                4× CPU          no throttling');
    const against = (name: string, desk: keyof Figures, plain: keyof Figures) =>
      console.log(
        `${name.padEnd(68)}${`${ratio(throttled[desk], throttled[plain])}× (${ratio(throttled[desk], throttled[plain], 0.5)}×)`.padEnd(16)}${ratio(baseline[desk], baseline[plain])}× (${ratio(baseline[desk], baseline[plain], 0.5)}×)`,
      );
    against('keystroke → painted: Desk / bare textarea', 'key', 'bareKey');
    against('keystroke → painted, less the frame wait: Desk / bare textarea', 'keyOwn', 'bareKeyOwn');
    against('keystroke → presented, Event Timing: Desk / bare textarea', 'keyEvent', 'bareKeyEvent');
    against('scroll: longest frame gap, Desk / bare list', 'maxGap', 'bareMaxGap');
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
