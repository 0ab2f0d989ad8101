// Starts a throwaway PostgreSQL cluster (see cluster-keeper.mjs) and stops it on demand.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { findPostgresBin } from './binaries.mjs';

const KEEPER = fileURLToPath(new URL('./cluster-keeper.mjs', import.meta.url));

export { findPostgresBin };

/**
 * Starts the keeper in its own process group and waits for its cluster. The keeper watches its
 * stdin: if this process dies without calling stop(), the pipe closes and the cluster goes too.
 */
export function startThrowawayCluster({ timeoutMs = 60_000 } = {}) {
  const keeper = spawn(process.execPath, [KEEPER], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => keeper.once('exit', (code, signal) => resolve(code ?? signal)));
  const lines = createInterface({ input: keeper.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(keeper.pid, 'SIGKILL');
      reject(new Error(`the PostgreSQL cluster did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the PostgreSQL cluster keeper exited (${code}) before the cluster was ready`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const info = JSON.parse(line);
      let stopped = null;
      // Neither the keeper nor its pipes hold this process open; stop() (or our exit) ends it.
      keeper.unref();
      keeper.stdin.unref?.();
      keeper.stdout.unref?.();
      resolve({
        ...info,
        keeperPid: keeper.pid,
        stop: (graceMs = 10_000) => {
          stopped ??= (async () => {
            keeper.stdin.end();
            const late = setTimeout(() => killGroup(keeper.pid, 'SIGKILL'), graceMs);
            const code = await exited;
            clearTimeout(late);
            // A keeper that did not stop its cluster itself may have left postgres in its group. (After
            // a clean exit the group is empty, and its number may already belong to someone else.)
            if (code !== 0) killGroup(keeper.pid, 'SIGKILL');
          })();
          return stopped;
        },
      });
    });
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}
