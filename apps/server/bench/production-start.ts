/**
 * The production build against the TypeScript runner: time from spawn to "listening" for
 * `node dist/main.js` and `tsx src/main.ts` (alternating, fresh DATA_DIR each, median of RUNS), and
 * the SIGTERM drain of the built server with an agent's sync stream open (SIGTERM to exit).
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:production      (RUNS=5; builds to .tmp/ first)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildForTest } from '../test/support/built-server.ts';
import { killServerProcess, startServerProcess } from '../test/support/server-process.ts';

const runs = Number(process.env.RUNS ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const built = await buildForTest();
const env = (dataDir: string) => ({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'bench password' });

const starts: Record<'built' | 'tsx', number[]> = { built: [], tsx: [] };
const drains: number[] = [];
try {
  for (let run = 0; run < runs; run++) {
    for (const kind of ['tsx', 'built'] as const) {
      const dataDir = mkdtempSync(join(tmpdir(), 'desk-bench-start-'));
      const t0 = performance.now();
      const server = await startServerProcess(env(dataDir), kind === 'built' ? { built: built.main } : {});
      starts[kind].push(performance.now() - t0);
      if (kind === 'built') {
        const login = await fetch(`${server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'admin@desk.local', password: 'bench password' }),
        });
        const { token } = (await login.json()) as { token: string };
        const stream = await fetch(`${server.url}/api/sync/stream`, { headers: { authorization: `Bearer ${token}` } });
        const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
        await reader.read();
        const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
        const t1 = performance.now();
        process.kill(server.child.pid as number, 'SIGTERM');
        while (!(await reader.read()).done) {}
        await exited;
        drains.push(performance.now() - t1);
      }
      await killServerProcess(server.child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
} finally {
  built.remove();
}
const js = built.outputs.filter(({ file }) => file.endsWith('main.js'))[0];
console.log(`Production build (${process.platform}, Node ${process.version}; ${runs} runs each, medians)`);
console.log(`  dist/main.js:                      ${((js?.bytes ?? 0) / 1024).toFixed(0)} KB`);
console.log(`  start to listening, tsx src:       ${median(starts.tsx).toFixed(0)} ms  (baseline)`);
console.log(`  start to listening, node dist:     ${median(starts.built).toFixed(0)} ms  (${(median(starts.built) / median(starts.tsx)).toFixed(2)}× tsx)`);
console.log(`  SIGTERM to exit, one stream open:  ${median(drains).toFixed(0)} ms  (bound 10,000 ms)`);
