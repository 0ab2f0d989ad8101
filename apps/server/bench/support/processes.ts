import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const serverDir = fileURLToPath(new URL('../..', import.meta.url));
export const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

const started = new Set<ChildProcess>();

/** SIGKILL to a child's whole process group: tsx is a wrapper, the server is the node process under it. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      started.delete(child);
      return resolve();
    }
    child.once('exit', () => {
      started.delete(child);
      resolve();
    });
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      resolve();
    }
  });
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
export function spawnGroup(script: string, env: Record<string, string>, options: { log?: boolean; nodeFlags?: string[] } = {}): ChildProcess {
  const child = spawn(tsx, [...(options.nodeFlags ?? []), script], {
    cwd: serverDir,
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

/** Desk's server (`src/main.ts`) with a data dir and the given settings, in its own process group. */
export async function startDesk(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; port: number }> {
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: Desk writes a V8 CPU profile there when it stops (node --cpu-prof).
  const nodeFlags = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // PROCESSING_THREAD=0: the queues on the request thread, to compare with the processing thread (the default).
  const thread: Record<string, string> = process.env.PROCESSING_THREAD ? { PROCESSING_THREAD: process.env.PROCESSING_THREAD } : {};
  const child = spawnGroup(
    'src/main.ts',
    { NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD: 'bench-password-123', ...thread, ...env },
    { nodeFlags },
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
