import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const serverDir = fileURLToPath(new URL('../..', import.meta.url));
export const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

const started = new Set<ChildProcess>();

/** Whether any process of the group `pid` leads is still alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** How long a group may take to stop after SIGTERM (a server drains, writes its CPU profile) before SIGKILL. */
const GROUP_STOP_MS = 15_000;

/**
 * `signal` (default SIGKILL) to a child's whole process group: tsx is a wrapper, the server is the
 * node process under it. Settles once every process of the group is gone (the wrapper exits before
 * the server has finished stopping); one still there after GROUP_STOP_MS is killed.
 */
export async function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const pid = child.pid as number;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-pid, signal);
      await exited;
    } catch {
      // already gone
    }
  }
  started.delete(child);
  const deadline = Date.now() + GROUP_STOP_MS;
  // A zombie (whose parent does not reap it) counts as alive to kill(0): stop looking a while after the SIGKILL.
  while (groupAlive(pid) && Date.now() < deadline + 2_000) {
    if (Date.now() > deadline) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Kills every process group this benchmark started (at exit, on Ctrl-C, after a failure). */
export async function killAll(): Promise<void> {
  await Promise.all([...started].map((child) => killGroup(child)));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void killAll().finally(() => process.exit(130));
  });
}
process.once('exit', () => {
  for (const child of started) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** A TypeScript entry point as its own process group (so the whole group can be killed). */
export function spawnGroup(script: string, env: Record<string, string>, options: { log?: boolean; nodeFlags?: string[]; cwd?: string } = {}): ChildProcess {
  const child = spawn(tsx, [...(options.nodeFlags ?? []), script], {
    cwd: options.cwd ?? serverDir,
    detached: true,
    stdio: ['ignore', 'pipe', options.log === false ? 'ignore' : 'inherit'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  started.add(child);
  return child;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Waits for `GET url` to answer 2xx (the child must not have exited meanwhile). */
export async function waitHealthy(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The process exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/**
 * Desk's server (`src/main.ts`) with a data dir and the given settings, in its own process group.
 * `serverAt`: another checkout's apps/server (its node_modules linked to these), for A/B runs of two builds.
 */
export async function startDesk(env: Record<string, string>, serverAt: string = serverDir): Promise<{ child: ChildProcess; url: string; port: number }> {
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: Desk writes a V8 CPU profile there when it stops (node --cpu-prof).
  const nodeFlags = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // PROCESSING_THREAD=0: the queues on the request thread, to compare with the processing thread (the default).
  const thread: Record<string, string> = process.env.PROCESSING_THREAD ? { PROCESSING_THREAD: process.env.PROCESSING_THREAD } : {};
  // BENCH_DESK_ENV="NAME=value,NAME=value": more settings for Desk (the spawned server gets only what is passed here).
  for (const pair of (process.env.BENCH_DESK_ENV ?? '').split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at > 0) thread[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const child = spawnGroup(
    'src/main.ts',
    { NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD: 'bench-password-123', ...thread, ...env },
    { nodeFlags, cwd: serverAt },
  );
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(`${url}/healthz`, child);
  return { child, url, port };
}

/** The bare Hono + better-sqlite3 insert route (the baseline), in its own process group. */
export async function startBareInsert(dbFile: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawnGroup('bench/support/bare-insert-server.ts', { PORT: String(port), DB_FILE: dbFile });
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(`${url}/count`, child);
  return { child, url };
}

/**
 * Desk as production runs it: `node <main>` of a build (test/support/built-server.ts), no TypeScript
 * runner, in its own process group, with the settings startDesk gives it.
 */
export async function startBuiltDesk(main: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string; port: number }> {
  const port = await freePort();
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, main], {
    cwd: serverDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_PASSWORD: 'bench-password-123',
      ...(process.env.PROCESSING_THREAD && { PROCESSING_THREAD: process.env.PROCESSING_THREAD }),
      ...env,
    },
  });
  started.add(child);
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(`${url}/healthz`, child);
  return { child, url, port };
}

/** Reads one metric's value from Desk's /metrics (METRICS_TOKEN must be `token`). */
export async function metricValue(url: string, token: string, line: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  const match = line.exec(text);
  return match?.[1] ? Number(match[1]) : Number.NaN;
}

/** The platform stand-ins that take Desk's replies, in their own process group (stand-ins-process.ts). */
export async function startStandIns(env: Record<string, string>): Promise<{ child: ChildProcess; urls: { telegram: string; graph: string } }> {
  const child = spawnGroup('bench/support/stand-ins-process.ts', env);
  const urls = await new Promise<{ telegram: string; graph: string }>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n') && line) resolve(JSON.parse(line) as { telegram: string; graph: string });
    });
    child.once('exit', (code) => reject(new Error(`The stand-ins exited with ${code}`)));
  });
  return { child, urls };
}

/** CPU time a server process has used so far, in ms: its main thread (the one that answers requests) and all its other threads. */
export interface ServerCpu {
  requestThread: number;
  otherThreads: number;
  /** ms the request thread was ready to run but waited for a core (its scheduler statistics), or null where not told. */
  requestThreadWaiting: number | null;
}

const TICK_MS = 10; // Linux's USER_HZ is 100 on every architecture Node supports.

/**
 * Linux: the CPU used by the node process in `child`'s group (tsx is a wrapper; its esbuild service
 * is skipped), from /proc. CPU time, unlike wall time, does not grow when other processes take the
 * cores, so per-request figures from it compare across runs on a shared machine. Null elsewhere.
 */
export function serverCpu(child: ChildProcess): ServerCpu | null {
  if (process.platform !== 'linux' || child.pid === undefined) return null;
  const afterName = (stat: string) => stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  try {
    const pid = readdirSync('/proc').find((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      try {
        const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        return Number(afterName(readFileSync(`/proc/${entry}/stat`, 'utf8'))[2]) === child.pid && !command.includes('tsx/dist/cli') && !command.includes('esbuild');
      } catch {
        return false;
      }
    });
    if (!pid) return null;
    const cpu: ServerCpu = { requestThread: 0, otherThreads: 0, requestThreadWaiting: null };
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      const fields = afterName(readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8'));
      // utime and stime: fields 14 and 15 of stat (11 and 12 after the command name).
      const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
      if (thread === pid) cpu.requestThread += ms;
      else cpu.otherThreads += ms;
    }
    try {
      // schedstat: time on a CPU, time waiting on a run queue (ns), timeslices.
      const waitingNs = Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]);
      if (Number.isFinite(waitingNs)) cpu.requestThreadWaiting = waitingNs / 1e6;
    } catch {
      // a kernel without schedstats
    }
    return cpu;
  } catch {
    return null;
  }
}
