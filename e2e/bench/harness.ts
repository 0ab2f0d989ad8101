/**
 * What the browser benchmarks share: the real server on a free loopback port (demo workspace,
 * temporary DATA_DIR, a copy of the built PWA with the `?bench` hooks), and quantiles.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
/** Every demo account signs in with it in a benchmark. */
export const PASSWORD = 'bench-admin-password';

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}
export const median = (values: readonly number[]) => quantile(values, 0.5);
export const p95 = (values: readonly number[]) => quantile(values, 0.95);
export const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : 'n/a');
export const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Server {
  url: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** A DATA_DIR prepared beforehand (e.g. seeded); a fresh temporary one otherwise. Deleted by stop(). */
  dataDir?: string;
  /** More settings, e.g. DATABASE_URL to share a PostgreSQL database with other instances. */
  env?: Record<string, string>;
}

/**
 * The real server (apps/server/src/main.ts) with the demo workspace, like e2e/support/start-server.mjs,
 * in its own process group: stop() ends the whole group (tsx is only a wrapper around the server).
 */
export async function startServer(options: ServerOptions = {}): Promise<Server> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'desk-bench-'));
  const webDist = copyWebDist(join(dataDir, 'web'));
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(TSX, [join(ROOT, 'apps/server/src/main.ts')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      WEB_DIST: webDist,
      DEMO: '1',
      ADMIN_EMAIL: 'admin@desk.local',
      ADMIN_PASSWORD: PASSWORD,
      ...options.env,
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // The group is gone already.
    }
  };
  const stop = async () => {
    if (child.exitCode === null) signalGroup('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    // Still up after the drain's bound: the whole group goes. (tsx exits only after the server under
    // it; once it has, the group is empty and its number may belong to someone else: leave it.)
    if (child.exitCode === null && child.signalCode === null) signalGroup('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`server did not start:\n${output}`);
}

/** A consistent copy of the built PWA (another build may be rewriting apps/web/dist meanwhile). */
function copyWebDist(target: string): string {
  // BENCH_WEB_DIST: another build of the PWA (e.g. a copy of the one before a change, for an A/B run).
  const dist = process.env.BENCH_WEB_DIST ?? join(ROOT, 'apps/web/dist');
  for (let attempt = 0; attempt < 20; attempt++) {
    rmSync(target, { recursive: true, force: true });
    try {
      cpSync(dist, target, { recursive: true });
      const html = readFileSync(join(target, 'index.html'), 'utf8');
      const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] as string);
      if (assets.length > 0 && assets.every((asset) => existsSync(join(target, asset)))) {
        if (!readFileSync(join(target, assets.find((a) => a.endsWith('.js')) ?? 'index.html'), 'utf8').includes('bench-hooks')) {
          throw new Error('apps/web/dist has no bench hooks: rebuild it (npx -y pnpm@12.4.2 -r --if-present run build)');
        }
        return target;
      }
    } catch (error) {
      if (error instanceof Error && error.message.includes('bench hooks')) throw error;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
  throw new Error('apps/web/dist is missing or incomplete: build it first (npx -y pnpm@12.4.2 -r --if-present run build)');
}
