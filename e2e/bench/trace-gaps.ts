/**
 * The frames of the flings in a `BENCH_TRACE` scroll trace, and what filled them. A frame is the time
 * between two of the page's animation-frame callbacks (the fling probe scrolls in one each frame) inside
 * a "__bench scroll start" … "end" window. Prints:
 *   - per fling (Desk's and the bare list's): its frames, its longest gap, and the main thread's CPU time per
 *     frame (the most, the total, how many frames took over 4, 8 and 12 ms of it);
 *   - Desk's frames with the most main-thread CPU time (`GAPS_BY=wall`: the longest), each with its tasks
 *     and their outermost events, wall / CPU ms. A frame whose CPU time is near its length is the page's own
 *     work; one whose CPU time is small was spent waiting (for a core on a loaded machine, or for the compositor);
 *   - where the flings' main-thread CPU time went, by each task's outermost events, Desk beside the bare list.
 * CPU time (the trace's thread time) is what to read on a loaded machine: wall time there is mostly waiting.
 *
 *   ../node_modules/.bin/tsx bench/trace-gaps.ts <scroll-4x.json> [frames to show, default 10]
 */
import { readFileSync } from 'node:fs';
import type { TraceEvent } from './trace-event.ts';


interface Fling {
  bare: boolean;
  /** The main thread's complete events in the fling's window, by start (outer before inner). */
  events: TraceEvent[];
  frames: Frame[];
}

interface Frame {
  /** From the fling's start (µs). */
  at: number;
  from: number;
  to: number;
  /** The main thread's CPU time in the tasks that began in the frame (µs). */
  cpu: number;
}

const [file, shownArg = '10'] = process.argv.slice(2);
if (!file) throw new Error('usage: trace-gaps.ts <trace.json> [frames to show]');
const raw = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(raw) ? raw : raw.traceEvents;
const ms = (us: number) => (us / 1000).toFixed(1);

const isMark = (e: TraceEvent) => typeof e.name === 'string' && e.name.startsWith('__bench') && ['R', 'I', 'i', 'n', 'b'].includes(e.ph);
// The bare list's pages are navigations to bare.bench; each fling's page may be its own renderer process.
const bareProcesses = new Set(events.filter((e) => e.name === 'navigationStart' && String((e.args?.data as { documentLoaderURL?: string } | undefined)?.documentLoaderURL ?? '').includes('bare.bench')).map((e) => e.pid));
const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');

/** An event's name with what it names: the function of a call, the type of a dispatch. */
function kindOf(e: TraceEvent): string {
  const data = (e.args?.data ?? {}) as Record<string, unknown>;
  const fn = typeof data.functionName === 'string' && data.functionName ? ` ${data.functionName}` : '';
  const where = e.name === 'FunctionCall' && typeof data.url === 'string' && data.url ? ` ${data.url.replace(/^.*\//, '')}:${Number(data.lineNumber ?? 0) + 1}` : '';
  const type = typeof data.type === 'string' ? ` ${data.type}` : '';
  return `${e.name}${fn}${where}${type}`;
}

/** Each task's outermost events, by kind (wall and CPU µs); a task's CPU time outside them counts as "(task, no event)". */
function partsOf(tasks: readonly TraceEvent[], all: readonly TraceEvent[]): Map<string, { dur: number; cpu: number }> {
  const parts = new Map<string, { dur: number; cpu: number }>();
  const add = (kind: string, dur: number, cpu: number) => {
    const part = parts.get(kind) ?? { dur: 0, cpu: 0 };
    part.dur += dur;
    part.cpu += cpu;
    parts.set(kind, part);
  };
  let k = 0;
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    while (k < all.length && (all[k] as TraceEvent).ts < task.ts) k++;
    let until = task.ts;
    let covered = 0;
    for (let i = k; i < all.length; i++) {
      const e = all[i] as TraceEvent;
      if (e.ts >= end) break;
      if (e === task || e.ts < until) continue;
      add(kindOf(e), e.dur ?? 0, e.tdur ?? 0);
      covered += e.tdur ?? 0;
      until = e.ts + (e.dur ?? 0);
    }
    add('(task, no event)', 0, Math.max(0, (task.tdur ?? 0) - covered));
  }
  return parts;
}

function readFling(start: TraceEvent): Fling | null {
  const main = mains.find((m) => m.pid === start.pid);
  if (!main) return null;
  const end = events.find((e) => isMark(e) && e.name === '__bench scroll end' && e.pid === start.pid && e.ts > start.ts)?.ts ?? Number.POSITIVE_INFINITY;
  const onMain = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined && e.ts >= start.ts && e.ts < end)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const callbacks = onMain.filter((e) => e.name === 'FireAnimationFrame').map((e) => e.ts);
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  const frames: Frame[] = [];
  let t = 0;
  for (let k = 1; k < callbacks.length; k++) {
    const from = callbacks[k - 1] as number;
    const to = callbacks[k] as number;
    let cpu = 0;
    while (t < tasks.length && (tasks[t] as TraceEvent).ts < to) {
      if ((tasks[t] as TraceEvent).ts >= from) cpu += (tasks[t] as TraceEvent).tdur ?? 0;
      t++;
    }
    frames.push({ at: from - start.ts, from, to, cpu });
  }
  return { bare: bareProcesses.has(main.pid), events: onMain, frames };
}

const flings = events
  .filter((e) => isMark(e) && e.name === '__bench scroll start')
  .sort((a, b) => a.ts - b.ts)
  .flatMap((start) => readFling(start) ?? []);
if (flings.length === 0) throw new Error('no fling in the trace (a BENCH_PHASES=scroll trace of bench:phone)');

flings.forEach((fling, i) => {
  const cpus = fling.frames.map((f) => f.cpu).sort((a, b) => b - a);
  const longest = Math.max(0, ...fling.frames.map((f) => f.to - f.from));
  const over = (limit: number) => cpus.filter((c) => c >= limit * 1000).length;
  console.log(
    `fling ${i}${fling.bare ? ' (bare list)' : ''}: ${fling.frames.length + 1} frames, longest gap ${ms(longest)} ms; main-thread CPU per frame: most ${cpus.slice(0, 5).map(ms).join(', ')} ms, total ${ms(cpus.reduce((a, b) => a + b, 0))} ms; frames over 4 ms ${over(4)}, 8 ms ${over(8)}, 12 ms ${over(12)}`,
  );
});

const byWall = process.env.GAPS_BY === 'wall';
const shown = flings
  .flatMap((fling, i) => (fling.bare ? [] : fling.frames.map((frame) => ({ fling, i, frame }))))
  .sort((a, b) => (byWall ? b.frame.to - b.frame.from - (a.frame.to - a.frame.from) : b.frame.cpu - a.frame.cpu))
  .slice(0, Number(shownArg));
for (const { fling, i, frame } of shown) {
  const tasks = fling.events.filter((e) => e.name === 'RunTask' && e.ts >= frame.from && e.ts < frame.to);
  console.log(`\nfling ${i}: frame of ${ms(frame.to - frame.from)} ms at +${ms(frame.at)} ms, main-thread CPU ${ms(frame.cpu)} ms in ${tasks.length} tasks`);
  for (const task of tasks) {
    if ((task.tdur ?? 0) < 100) continue;
    const parts = [...partsOf([task], fling.events)].filter(([, p]) => p.cpu >= 50).sort((a, b) => b[1].cpu - a[1].cpu);
    console.log(`  +${ms(task.ts - frame.from).padStart(6)} task ${ms(task.dur ?? 0)} / ${ms(task.tdur ?? 0)}: ${parts.map(([kind, p]) => `${kind} ${ms(p.dur)} / ${ms(p.cpu)}`).join(', ')}`);
  }
}

for (const bare of [false, true]) {
  const mine = flings.filter((f) => f.bare === bare);
  if (mine.length === 0) continue;
  const total = new Map<string, number>();
  for (const fling of mine) {
    for (const [kind, part] of partsOf(
      fling.events.filter((e) => e.name === 'RunTask'),
      fling.events,
    ))
      total.set(kind, (total.get(kind) ?? 0) + part.cpu);
  }
  console.log(`\n${bare ? 'bare list' : 'Desk'}: main-thread CPU per fling by kind (${mine.length} flings)`);
  for (const [kind, cpu] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 16)) console.log(`${ms(cpu / mine.length).padStart(9)} ms  ${kind}`);
}
