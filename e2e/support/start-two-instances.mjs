// Two Desk instances on one throwaway PostgreSQL cluster, for playwright.postgres.config.ts: the
// first on E2E_PORT, the second on E2E_PORT + 20000 (SECOND_INSTANCE_URL in support/env.ts). The first migrates the
// database and seeds the demo workspace before the second starts; Playwright waits for the second.
import { startThrowawayCluster } from '../../scripts/postgres/throwaway-cluster.mjs';
import { startDesk } from './desk-process.mjs';

const port = Number(process.env.E2E_PORT ?? 8181);
const cluster = await startThrowawayCluster();
const children = [];
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
  await cluster.stop();
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stop(0));

function start(instancePort) {
  const child = startDesk(instancePort, { DATABASE_URL: cluster.url });
  children.push(child);
  // One instance gone means the run is over: Playwright sees the web server exit.
  child.on('exit', (code) => void stop(code ?? 1));
  return child;
}

async function healthy(instancePort) {
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${instancePort}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

start(port);
await healthy(port);
start(port + 20_000);
