import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
}

/**
 * The real server as its own process group (`tsx src/main.ts`), so a test can SIGKILL it — the
 * runner's wrapper and the node process under it together — like a machine losing power. With
 * `built`, the production build instead: `node <built>` (see support/built-server.ts).
 */
export async function startServerProcess(env: Record<string, string>, options: { built?: string } = {}): Promise<ServerProcess> {
  const [command, args] = options.built
    ? [process.execPath, [options.built]]
    : [join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'apps/server/src/main.ts')]];
  const child = spawn(command, args, {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DEMO: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const url = await new Promise<string>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      // Nobody holds this child yet: stop its whole group here, or it outlives the test run.
      killGroup(child);
      reject(new Error(`server did not start:\n${log}`));
    }, 30_000);
    const read = (chunk: Buffer) => {
      log += chunk.toString();
      const found = /listening on 127\.0\.0\.1:(\d+)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${found[1]}`);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  return { child, url };
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    // The group is already gone (ESRCH).
  }
}

/**
 * SIGKILL to the whole process group; resolves once the server process is gone. The group is
 * signalled even when the tsx wrapper has already exited: the node server under it may not have.
 */
export function killServerProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const exited = child.exitCode !== null || child.signalCode !== null;
    if (!exited) child.once('exit', () => resolve());
    killGroup(child);
    if (exited) resolve();
  });
}
