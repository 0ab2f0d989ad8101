/**
 * What each long task in a `BENCH_TRACE` trace was made of, from the trace's own events (not the CPU
 * profiler's samples, which a throttled or loaded machine attributes to whatever was on the stack):
 * for each task over the threshold on the page's main thread, when it ran (after the latest
 * `__bench …` mark, e.g. "scroll start") and its nested events over 1 ms with what they name (the
 * function and script of a call, the event type of a dispatch, the objects a layout touched, the GC).
 *
 *   ../node_modules/.bin/tsx bench/trace-tasks.ts <trace.json> [threshold ms, default 50] [depth, default 4]
 */
import { readFileSync } from 'node:fs';
import type { TraceEvent } from './trace-event.ts';


const [file, thresholdArg = '50', depthArg = '4'] = process.argv.slice(2);
if (!file) throw new Error('usage: trace-tasks.ts <trace.json> [threshold ms] [depth]');
const threshold = Number(thresholdArg) * 1000;
const maxDepth = Number(depthArg);
const raw = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(raw) ? raw : raw.traceEvents;

// Desk's main threads: the bench opens each fling's list from a blank page, and Chromium may give it a new
// renderer process, so a trace holds one main thread per process. Those with the bench's marks count, the
// bare page's aside (its navigations are to bare.bench); without marks, the busiest renderer main thread.
const isMark = (e: TraceEvent) => typeof e.name === 'string' && e.name.startsWith('__bench') && (e.ph === 'R' || e.ph === 'I' || e.ph === 'i' || e.ph === 'n' || e.ph === 'b');
const bareProcesses = new Set(events.filter((e) => e.name === 'navigationStart' && String((e.args?.data as { documentLoaderURL?: string } | undefined)?.documentLoaderURL ?? '').includes('bare.bench')).map((e) => e.pid));
const markedProcesses = new Set(events.filter((e) => isMark(e) && !bareProcesses.has(e.pid)).map((e) => e.pid));
const taskTime = new Map<string, number>();
for (const e of events) if (e.ph === 'X' && e.name === 'RunTask') taskTime.set(`${e.pid}:${e.tid}`, (taskTime.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
const allMains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
const marked = allMains.filter((e) => markedProcesses.has(e.pid));
const busiest = allMains.sort((a, b) => (taskTime.get(`${b.pid}:${b.tid}`) ?? 0) - (taskTime.get(`${a.pid}:${a.tid}`) ?? 0))[0];
const mains = marked.length > 0 ? marked : busiest ? [busiest] : [];
if (mains.length === 0) throw new Error('no renderer main thread in the trace');
const isMain = (e: TraceEvent) => mains.some((m) => m.pid === e.pid && m.tid === e.tid);
// The processes run one after another (one list at a time), so their events sort into one timeline.
const onMain = events.filter((e) => isMain(e) && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
const marks = events.filter((e) => mains.some((m) => m.pid === e.pid) && isMark(e)).sort((a, b) => a.ts - b.ts);

const ms = (us: number) => (us / 1000).toFixed(1);
function detail(e: TraceEvent): string {
  const data = (e.args?.data ?? e.args?.beginData ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof data.functionName === 'string' && data.functionName) parts.push(data.functionName);
  if (typeof data.url === 'string' && data.url) parts.push(`${data.url.replace(/^.*\//, '')}:${Number(data.lineNumber ?? 0) + 1}:${Number(data.columnNumber ?? 0) + 1}`);
  if (typeof data.type === 'string') parts.push(data.type);
  if (typeof e.args?.elementCount === 'number') parts.push(`${e.args.elementCount} elements`);
  if (typeof data.dirtyObjects === 'number') parts.push(`${data.dirtyObjects}/${data.totalObjects} objects`);
  if (typeof e.args?.usedHeapSizeBefore === 'number') parts.push(`heap ${((e.args.usedHeapSizeBefore as number) / 1e6).toFixed(0)}→${(((e.args.usedHeapSizeAfter as number) ?? 0) / 1e6).toFixed(0)} MB`);
  return parts.join(' ');
}

// Inside the fling windows ("__bench scroll start" … "__bench scroll end"): where the main thread's time went,
// by what each task's outermost events were, and how many tasks were over a quarter of the threshold
// (what 4× CPU throttling would make long, for an unthrottled trace).
const starts = marks.filter((m) => m.name === '__bench scroll start');
const windows = starts.map((start) => ({ from: start.ts, to: marks.find((m) => m.name === '__bench scroll end' && m.ts > start.ts)?.ts ?? Number.POSITIVE_INFINITY }));
if (windows.length > 0) {
  const inWindow = (e: TraceEvent) => windows.some((w) => e.ts >= w.from && e.ts < w.to);
  const runTasks = onMain.filter((e) => e.name === 'RunTask' && inWindow(e));
  const byKind = new Map<string, number>();
  let busy = 0;
  const add = (kind: string, dur: number) => byKind.set(kind, (byKind.get(kind) ?? 0) + dur);
  for (const task of runTasks) {
    busy += task.dur ?? 0;
    const end = task.ts + (task.dur ?? 0);
    let covered = 0;
    let until = task.ts;
    for (const e of onMain) {
      if (e.ts < task.ts || e === task) continue;
      if (e.ts >= end) break;
      if (e.ts < until) continue; // nested in an outermost event already counted
      const kind = e.name === 'EventDispatch' || e.name === 'FunctionCall' ? `${e.name} ${detail(e)}` : e.name;
      add(kind, e.dur ?? 0);
      covered += e.dur ?? 0;
      until = e.ts + (e.dur ?? 0);
    }
    add('(task, no event)', (task.dur ?? 0) - covered);
  }
  const span = windows.reduce((sum, w) => sum + (Math.min(w.to, runTasks[runTasks.length - 1]?.ts ?? w.to) - w.from), 0);
  const cpu = runTasks.reduce((sum, t) => sum + (t.tdur ?? 0), 0);
  console.log(`fling windows: ${windows.length}, ${ms(span)} ms, main thread busy ${ms(busy)} ms (CPU ${ms(cpu)} ms) in ${runTasks.length} tasks`);
  const cpuOver = (limit: number) => runTasks.filter((t) => (t.tdur ?? 0) >= limit).length;
  console.log(`tasks by CPU time: ≥ 8 ms ${cpuOver(8000)}, ≥ 12.5 ms ${cpuOver(12_500)}, ≥ 25 ms ${cpuOver(25_000)}`);
  const quarter = threshold / 4;
  console.log(`tasks ≥ ${ms(quarter)} ms: ${runTasks.filter((t) => (t.dur ?? 0) >= quarter).length}; ≥ ${ms(threshold)} ms: ${runTasks.filter((t) => (t.dur ?? 0) >= threshold).length}`);
  for (const [kind, dur] of [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${ms(dur).padStart(9)} ms  ${kind}`);
}

const tasks = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) >= threshold);
console.log(`${file}: ${tasks.length} tasks of ${ms(threshold)} ms or more on the main thread`);
for (const task of tasks) {
  const end = task.ts + (task.dur ?? 0);
  const mark = [...marks].reverse().find((m) => m.ts <= task.ts);
  console.log(`\ntask ${ms(task.dur ?? 0)} ms${mark ? `, +${ms(task.ts - mark.ts)} ms after "${mark.name}"` : ''}`);
  // Nesting from containment: a stack of open events.
  const stack: TraceEvent[] = [];
  for (const e of onMain) {
    if (e.ts < task.ts || e === task) continue;
    if (e.ts >= end) break;
    while (stack.length > 0 && e.ts >= (stack[stack.length - 1]?.ts ?? 0) + (stack[stack.length - 1]?.dur ?? 0)) stack.pop();
    stack.push(e);
    const depth = stack.length;
    if (depth > maxDepth || (e.dur ?? 0) < 1000) continue;
    console.log(`${'  '.repeat(depth)}${ms(e.dur ?? 0).padStart(6)} ${e.name} ${detail(e)}`);
  }
}
