// The real server for Playwright, started through tsx on loopback with the demo workspace: one
// instance on SQLite (start-server.mjs) or several sharing PostgreSQL (start-two-instances.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Spawns `tsx apps/server/src/main.ts` on `port` (in this process's group, so Playwright stopping
 * the web server stops it too) with a fresh DATA_DIR; `env` adds to or overrides the defaults.
 */
export function startDesk(port, env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-e2e-'));
  return spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'apps/server/src/main.ts')], {
    stdio: 'inherit',
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      DEMO: '1',
      ADMIN_EMAIL: 'admin@desk.local',
      ADMIN_PASSWORD: 'e2e-admin-password',
      // Every spec's visitors come from 127.0.0.1: the per-address limit on new visitors is not under test here.
      WEBCHAT_NEW_VISITORS_PER_HOUR: '10000',
      // The fake Zendesk and Sunshine the Zendesk spec starts (see support/env.ts).
      ZENDESK_API_URL: `http://127.0.0.1:${Number(port) + 10000}`,
      ZENDESK_MESSAGING_API_URL: `http://127.0.0.1:${Number(port) + 10001}`,
      ...env,
      ...JSON.parse(process.env.E2E_SERVER_ENV ?? '{}'),
    },
  });
}
