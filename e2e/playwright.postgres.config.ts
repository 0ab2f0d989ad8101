import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';
import { BASE_URL, SECOND_INSTANCE_URL } from './support/env.ts';

/**
 * The stories again on two Desk instances sharing one throwaway PostgreSQL cluster
 * (support/start-two-instances.mjs), agents on different instances. `npm test` runs it after the
 * SQLite suite (playwright.config.ts), whose settings it keeps.
 */
export default defineConfig({
  ...base,
  testDir: './postgres',
  // Two agents' browsers, a visitor's and two servers on one machine: the story takes longer than alone.
  timeout: 90_000,
  reporter: [['list'], ['json', { outputFile: '../.tmp/playwright-postgres.json' }]],
  use: { ...base.use, baseURL: BASE_URL },
  webServer: {
    command: 'node support/start-two-instances.mjs',
    // The second instance starts once the first is up (it finds the database migrated and seeded).
    url: `${SECOND_INSTANCE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    // SIGTERM: the instances drain and the throwaway cluster is stopped and deleted.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
