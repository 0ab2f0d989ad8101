/**
 * Reads the keystroke trace of `BENCH_PHASES=keystroke BENCH_TRACE=<dir> npm run bench:phone` and prints,
 * for Desk's page and the bare textarea side by side, the main thread's CPU time per key by kind of work:
 * each key from its keydown to the probe's "painted" mark, each trace event's own CPU time (its `tdur`
 * less its children's), the tasks by where they were posted from (with BENCH_TRACE_EXTRA=toplevel).
 *
 * CPU time, not wall time: on a shared machine a key's wall time is mostly waiting for a core, and a gap
 * of a fraction of a millisecond between Desk and the bare page is lost in it. Read it from an unthrottled
 * trace (BENCH_TRACE_RATE=1): under Chromium's CPU throttling the thread's CPU time is stretched unevenly.
 *
 *   ../node_modules/.bin/tsx bench/trace-keys.ts <keystroke-1x.json> [rows, default 20]
 */
import { readFileSync } from 'node:fs';
import type { TraceEvent } from './trace-event.ts';


/** One page's keys: how many, and the CPU time of each kind of work over all of them (µs). */
interface PageKeys {
  keys: number;
  total: number;
  byKind: Map<string, number>;
}

const [file, rowsArg = '20'] = process.argv.slice(2);
if (!file) throw new Error('usage: trace-keys.ts <trace.json> [rows]');
const raw = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(raw) ? raw : raw.traceEvents;

const dataOf = (e: TraceEvent) => (e.args?.data ?? {}) as Record<string, unknown>;
/** What a trace event was, in a word or two: events and calls by their type and function, tasks by their origin. */
function kindOf(e: TraceEvent): string {
  if (e.name === 'EventDispatch') return `event ${String(dataOf(e).type ?? '')}`;
  if (e.name === 'FunctionCall') return `call ${String(dataOf(e).functionName ?? '') || '(anonymous)'}`;
  if (e.name === 'ThreadControllerImpl::RunTask') return `task ${String(e.args?.src_func ?? '')}`;
  return e.name;
}

/** The keys typed on one renderer main thread: each key's window is its keydown until the next "painted" mark. */
function keysOn(pid: number, tid: number): PageKeys {
  const onThread = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const marks = events.filter((e) => e.pid === pid && e.name === '__bench key').map((e) => e.ts).sort((a, b) => a - b);
  const windows = onThread
    .filter((e) => e.name === 'EventDispatch' && dataOf(e).type === 'keydown')
    .flatMap((keydown) => {
      const painted = marks.find((at) => at > keydown.ts);
      // From the start of the task that dispatched it (the input's way to the page is in it too).
      const task = onThread.find((e) => e.name === 'RunTask' && e.ts <= keydown.ts && e.ts + (e.dur ?? 0) >= keydown.ts);
      return painted === undefined ? [] : [{ from: task?.ts ?? keydown.ts, to: painted }];
    });
  // The first key of a set (the warm-up, right after the page opened) can hold the page's own start: a key
  // ten times slower than the median one is left out.
  const spans = windows.map((w) => w.to - w.from).sort((a, b) => a - b);
  const limit = 10 * (spans[Math.floor(spans.length / 2)] ?? 0);
  const result: PageKeys = { keys: 0, total: 0, byKind: new Map() };
  const add = (kind: string, micros: number) => result.byKind.set(kind, (result.byKind.get(kind) ?? 0) + micros);
  for (const w of windows) {
    if (w.to - w.from > limit) continue;
    result.keys += 1;
    // Open events nest by containment.
    const stack: TraceEvent[] = [];
    for (const e of onThread) {
      if (e.ts < w.from) continue;
      if (e.ts >= w.to) break;
      while (stack.length > 0 && e.ts >= (stack.at(-1)?.ts ?? 0) + (stack.at(-1)?.dur ?? 0)) stack.pop();
      const parent = stack.at(-1);
      add(kindOf(e), e.tdur ?? 0);
      if (parent) add(kindOf(parent), -(e.tdur ?? 0));
      else if (e.name === 'RunTask') result.total += e.tdur ?? 0;
      stack.push(e);
    }
  }
  return result;
}

// Each page is its own renderer: the bare textarea's navigated to bare.bench, Desk's is the other one with keys.
const pageUrl = new Map<number, string>();
for (const e of events) if (e.name === 'navigationStart' && dataOf(e).documentLoaderURL) pageUrl.set(e.pid, String(dataOf(e).documentLoaderURL));
const pages = events
  .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  .map((thread) => ({ bare: (pageUrl.get(thread.pid) ?? '').includes('bare.bench'), keys: keysOn(thread.pid, thread.tid) }))
  .filter((page) => page.keys.keys > 0);
const desk = pages.find((page) => !page.bare)?.keys;
const bare = pages.find((page) => page.bare)?.keys;
if (!desk || !bare) throw new Error('the trace needs the keys of both pages (BENCH_PHASES=keystroke)');

const perKey = (page: PageKeys, micros: number) => (micros / page.keys / 1000).toFixed(3).padStart(9);
console.log(`main-thread CPU per key (ms): Desk ${desk.keys} keys, bare textarea ${bare.keys} keys`);
console.log(`${''.padEnd(52)}     Desk     bare     Desk - bare`);
console.log(`${'whole key'.padEnd(52)}${perKey(desk, desk.total)}${perKey(bare, bare.total)}${(desk.total / desk.keys / 1000 - bare.total / bare.keys / 1000).toFixed(3).padStart(16)}`);
const kinds = [...new Set([...desk.byKind.keys(), ...bare.byKind.keys()])];
const deskOf = (kind: string) => (desk.byKind.get(kind) ?? 0) / desk.keys;
const bareOf = (kind: string) => (bare.byKind.get(kind) ?? 0) / bare.keys;
for (const kind of kinds.sort((a, b) => Math.max(deskOf(b), bareOf(b)) - Math.max(deskOf(a), bareOf(a))).slice(0, Number(rowsArg))) {
  console.log(`${kind.slice(0, 51).padEnd(52)}${perKey(desk, desk.byKind.get(kind) ?? 0)}${perKey(bare, bare.byKind.get(kind) ?? 0)}${((deskOf(kind) - bareOf(kind)) / 1000).toFixed(3).padStart(16)}`);
}
