// Starts the real server on loopback with a fresh SQLite file and the demo workspace, for Playwright.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'desk-e2e-'));
const port = process.env.E2E_PORT ?? '8181';
const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'apps/server/src/main.ts')], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: port,
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
    ...JSON.parse(process.env.E2E_SERVER_ENV ?? '{}'),
  },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
