import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@desk/core';
import { hashPassword } from '../../src/accounts/password.ts';
import { createApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createServices, type Services } from '../../src/services.ts';

export const TEST_PASSWORD = 'correct horse battery';

export interface TestApp {
  services: Services;
  app: ReturnType<typeof createApp>;
  config: Config;
  dataDir: string;
  /** Sends a request to the app in-process, as the given token when there is one. */
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  /** Creates an agent and signs them in; answers their bearer token. */
  signIn(role?: Role, email?: string): Promise<{ token: string; agentId: string }>;
  close(): void;
}

/** A real server on a real SQLite file in a temp folder, driven through `app.request`. */
export function createTestApp(env: Record<string, string> = {}): TestApp {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-test-'));
  const config = loadConfig({ DATA_DIR: dataDir, WEB_DIST: join(dataDir, 'no-web'), ...env });
  const db = openDatabase(config.databaseFile);
  const services = createServices(db, config);
  const app = createApp(services);
  let counter = 0;

  const request: TestApp['request'] = (path, init = {}) => {
    const { token, json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (json !== undefined) headers.set('content-type', 'application/json');
    const body = json !== undefined ? JSON.stringify(json) : rest.body;
    return Promise.resolve(app.request(`http://localhost${path}`, { ...rest, headers, ...(body !== undefined && { body }) }));
  };

  return {
    services,
    app,
    config,
    dataDir,
    request,
    async signIn(role = 'agent', email) {
      counter += 1;
      const address = email ?? `${role}${counter}-${Math.random().toString(36).slice(2, 8)}@test.local`;
      const agent = services.agents.create({ name: `${role} ${counter}`, email: address, role, passwordHash: await hashPassword(TEST_PASSWORD) });
      const res = await request('/api/auth/login', { method: 'POST', json: { email: address, password: TEST_PASSWORD } });
      const body = (await res.json()) as { token: string };
      return { token: body.token, agentId: agent.id };
    },
    close() {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// The conversation engine's fixture (an admin and two agents signed in, sample intents).
export { createTestDesk, sampleIntents, type TestDesk, withIntents } from './desk-fixture.ts';
