import { hashPassword } from '../accounts/password.ts';
import { readSetting, writeSetting } from '../db/settings-store.ts';
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
  if ((await readSetting(services.db, 'demo_seeded')) !== undefined) return false;
  const passwordHash = await hashPassword(password);
  await services.db.transaction(async () => {
    for (const agent of DEMO_AGENTS) {
      if (!(await services.agents.emailTaken(agent.email))) await services.agents.create({ ...agent, passwordHash });
    }
    const ana = (await services.agents.findCredentials('ana@desk.local'))?.agent.id ?? null;
    for (const intent of demoIntents(ana)) {
      if (!(await services.intents.nameTaken(intent.name))) await services.intents.create(intent);
    }
    await services.integration.put({ subject: 'Acme Support', tags: ['desk', 'chatbot'], enabled: true });
    await writeSetting(services.db, 'demo_seeded', 'true');
  });
  await services.retrainBot();
  await playDemoConversations(services);
  return true;
}
