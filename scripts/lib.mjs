// Shared helpers for the two root commands: run steps loudly, fail fast, time everything.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const PNPM = ['npx', '-y', 'pnpm@12.4.2'];

export function step(title, command, args, options = {}) {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options, env: { ...process.env, ...options.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${title} failed after ${seconds}s`);
    if (!options.allowFailure) process.exit(result.status ?? 1);
    return false;
  }
  console.log(`✔ ${title} (${seconds}s)`);
  return true;
}

export function pnpm(title, args, options) {
  return step(title, PNPM[0], [...PNPM.slice(1), ...args], options);
}

export function install() {
  // better-sqlite3 compiles with node-gyp, which would download Node's headers: use the ones installed
  // beside Node instead (this machine kind has no route to nodejs.org), unless npm is already told where.
  const env = {};
  if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  pnpm('Install dependencies (pnpm 12.4.2, frozen lockfile)', ['install', '--frozen-lockfile', '--reporter=append-only'], { env });
}

export function build() {
  pnpm('Build the server, the PWA and the web chat widget', ['-r', '--if-present', 'run', 'build']);
}
