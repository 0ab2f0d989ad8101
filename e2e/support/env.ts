/** The server the suite starts (see playwright.config.ts): one fresh demo workspace per run. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 8181);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** The fake Zendesk and fake Sunshine the browser tests start; the server is pointed at them (start-server.mjs). */
export const FAKE_ZENDESK_PORT = E2E_PORT + 10_000;
export const FAKE_SUNSHINE_PORT = E2E_PORT + 10_001;
export const ADMIN = { email: 'admin@desk.local', password: 'e2e-admin-password' };
/** Demo agents share the admin's password (see apps/server/src/demo/seed.ts). */
export const AGENT = { email: 'ana@desk.local', password: ADMIN.password, name: 'Ana Souza' };
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** playwright.postgres.config.ts: the second Desk instance, sharing the first one's PostgreSQL (support/start-two-instances.mjs). */
export const SECOND_INSTANCE_URL = `http://127.0.0.1:${E2E_PORT + 20_000}`;
/** A second demo agent (same password), for stories with two agents. */
export const SECOND_AGENT = { email: 'bruno@desk.local', password: ADMIN.password, name: 'Bruno Díaz' };
