/**
 * Reads a Chromium trace written by `BENCH_TRACE=<dir> npm run bench:phone` and prints where the page's
 * main thread spent its time: the longest tasks, each with its biggest parts (script, style, layout,
 * paint, GC…) and the functions the CPU profiler sampled most inside it, then the same for all tasks.
 *
 *   ../node_modules/.bin/tsx bench/trace-summary.ts <trace.json> [tasks to show, default 8]
 */
import { readFileSync } from 'node:fs';
import type { TraceEvent } from './trace-event.ts';

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

const [file, shown = '8'] = process.argv.slice(2);
if (!file) throw new Error('usage: trace-summary.ts <trace.json> [tasks]');
const raw = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(raw) ? raw : raw.traceEvents;

// The page's main thread: the renderer main thread with the most top-level task time.
const mains = events.filter((e) => e.name === 'thread_name' && (e.args?.name as string) === 'CrRendererMain');
const taskTime = new Map<string, number>();
for (const e of events) if (e.ph === 'X' && e.name === 'RunTask') taskTime.set(`${e.pid}:${e.tid}`, (taskTime.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
const main = mains.sort((a, b) => (taskTime.get(`${b.pid}:${b.tid}`) ?? 0) - (taskTime.get(`${a.pid}:${a.tid}`) ?? 0))[0];
if (!main) throw new Error('no renderer main thread in the trace');
const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
const tasks = onMain.filter((e) => e.name === 'RunTask');

// CPU samples of the main thread (Profile / ProfileChunk), as [time, function] pairs.
const nodes = new Map<number, ProfileNode>();
const samples: { ts: number; node: number }[] = [];
const profileIds = new Set(events.filter((e) => e.name === 'Profile' && e.pid === main.pid && e.tid === main.tid).map((e) => e.id));
let clock = 0;
for (const e of events) {
  if (e.name === 'Profile' && profileIds.has(e.id)) clock = (e.args?.data as { startTime?: number } | undefined)?.startTime ?? clock;
  if (e.name !== 'ProfileChunk' || !profileIds.has(e.id)) continue;
  const data = e.args?.data as { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] };
  for (const node of data.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
  const ids = data.cpuProfile?.samples ?? [];
  ids.forEach((node, i) => {
    clock += data.timeDeltas?.[i] ?? 0;
    samples.push({ ts: clock, node });
  });
}
samples.sort((a, b) => a.ts - b.ts);
const nameOf = (id: number) => {
  const frame = nodes.get(id)?.callFrame;
  if (!frame) return '?';
  const where = frame.url ? ` ${frame.url.replace(/^.*\//, '')}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where}`;
};
/** Self time by function between two timestamps (µs), biggest first. */
function functionsIn(from: number, to: number, top: number): string {
  const ms = new Map<string, number>();
  let previous = from;
  for (const sample of samples) {
    if (sample.ts < from) continue;
    if (sample.ts > to) break;
    const name = nameOf(sample.node);
    if (name !== '(idle)') ms.set(name, (ms.get(name) ?? 0) + (sample.ts - previous) / 1000);
    previous = sample.ts;
  }
  return [...ms]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, time]) => `      ${time.toFixed(1).padStart(7)} ms  ${name}`)
    .join('\n');
}
/** Time inside a window by event name (outermost of each name only), biggest first. */
function partsIn(from: number, to: number, top: number): string {
  const ms = new Map<string, number>();
  const openUntil = new Map<string, number>();
  for (const e of onMain) {
    if (e.ts < from || e.ts >= to || e.name === 'RunTask') continue;
    if ((openUntil.get(e.name) ?? 0) > e.ts) continue;
    openUntil.set(e.name, e.ts + (e.dur ?? 0));
    ms.set(e.name, (ms.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  return [...ms]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, time]) => `${name} ${time.toFixed(1)}`)
    .join(', ');
}

const long = tasks.filter((t) => (t.dur ?? 0) > 50_000);
const total = tasks.reduce((sum, t) => sum + (t.dur ?? 0), 0) / 1000;
console.log(`${file}: ${tasks.length} tasks on the main thread, ${total.toFixed(0)} ms; ${long.length} over 50 ms`);
const start = tasks[0]?.ts ?? 0;
for (const task of [...long].sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, Number(shown))) {
  const end = task.ts + (task.dur ?? 0);
  console.log(`\n  task at +${((task.ts - start) / 1000).toFixed(0)} ms, ${((task.dur ?? 0) / 1000).toFixed(1)} ms: ${partsIn(task.ts, end, 8)}`);
  console.log(functionsIn(task.ts, end, 10));
}
if (tasks.length > 0) {
  const last = tasks[tasks.length - 1] as TraceEvent;
  console.log(`\n  all tasks: ${partsIn(start, last.ts + (last.dur ?? 0), 12)}`);
  console.log(functionsIn(start, last.ts + (last.dur ?? 0), 25));
}
