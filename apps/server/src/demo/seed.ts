import { hashPassword } from '../accounts/password.ts';
import type { Services } from '../services.ts';
import { playDemoConversations } from './demo-conversations.ts';
import { demoIntents } from './demo-intents.ts';

export const DEMO_AGENTS = [
  { name: 'Ana Souza', email: 'ana@desk.local', role: 'agent' },
  { name: 'Bruno Díaz', email: 'bruno@desk.local', role: 'agent' },
  { name: 'Carla Smith', email: 'carla@desk.local', role: 'admin' },
] as const;

/**
 * Seeds the demo workspace once: agents, intents, the Desk integration, contacts and tickets
 * made by playing scripted conversations through the engine. Agents share
 * the admin's password so one printed login opens every demo account.
 */
export async function seedDemo(services: Services, password: string): Promise<boolean> {
  if (services.db.prepare("SELECT value FROM settings WHERE key = 'demo_seeded'").get()) return false;
  const passwordHash = await hashPassword(password);
  services.db.transaction(() => {
    for (const agent of DEMO_AGENTS) {
      if (!services.agents.emailTaken(agent.email)) services.agents.create({ ...agent, passwordHash });
    }
    const ana = services.agents.findCredentials('ana@desk.local')?.agent.id ?? null;
    for (const intent of demoIntents(ana)) {
      if (!services.intents.nameTaken(intent.name)) services.intents.create(intent);
    }
    services.integration.put({ subject: 'Acme Support', tags: ['desk', 'chatbot'], enabled: true });
    services.db.prepare("INSERT INTO settings (key, value) VALUES ('demo_seeded', 'true')").run();
  })();
  await services.retrainBot();
  await playDemoConversations(services);
  return true;
}
