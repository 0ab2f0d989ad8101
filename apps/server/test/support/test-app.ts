import { removeTestData } from './test-db.ts';
import type { Role } from '@desk/core';
import { hashPassword } from '../../src/accounts/password.ts';
import { createApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import type { Services } from '../../src/services.ts';
import { openTestServices, requestFor } from './desk-fixture.ts';

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
  close(): Promise<void>;
}

/** A real server on a real SQLite file in a temp folder, driven through `app.request`. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { dataDir, config, db, services } = await openTestServices({ env });
  const app = createApp(services);
  let counter = 0;
  const request: TestApp['request'] = requestFor(app, undefined, services);

  return {
    services,
    app,
    config,
    dataDir,
    request,
    async signIn(role = 'agent', email) {
      counter += 1;
      const address = email ?? `${role}${counter}-${Math.random().toString(36).slice(2, 8)}@test.local`;
      const agent = await services.agents.create({ name: `${role} ${counter}`, email: address, role, passwordHash: await hashPassword(TEST_PASSWORD) });
      const res = await request('/api/auth/login', { method: 'POST', json: { email: address, password: TEST_PASSWORD } });
      const body = (await res.json()) as { token: string };
      return { token: body.token, agentId: agent.id };
    },
    async close() {
      await services.push.flush();
      await db.close();
      await removeTestData(dataDir);
    },
  };
}

// The conversation engine's fixture (an admin and two agents signed in, sample intents).
export { createTestDesk, sampleIntents, type TestDesk, withIntents } from './desk-fixture.ts';
