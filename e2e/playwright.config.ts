import { defineConfig } from '@playwright/test';
import { BASE_URL, CHROMIUM, CHROMIUM_ARGS, E2E_PORT } from './support/env.ts';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: '../.tmp/playwright.json' }]] : [['list'], ['json', { outputFile: '../.tmp/playwright.json' }]],
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    serviceWorkers: 'allow',
    locale: 'en-US',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node support/start-server.mjs',
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { E2E_PORT: String(E2E_PORT) },
  },
});
