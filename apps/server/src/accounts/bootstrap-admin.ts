import { randomBytes } from 'node:crypto';
import type { AgentsRepo } from './agents-repo.ts';
import { hashPassword } from './password.ts';

export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * On an empty database, creates the first admin. Answers the password when it was generated
 * here (so it can be printed once), null when it came from the environment or nothing was done.
 */
export async function ensureFirstAdmin(
  agents: AgentsRepo,
  email: string,
  password: string | null,
): Promise<{ created: boolean; generatedPassword: string | null }> {
  if ((await agents.list()).length > 0) return { created: false, generatedPassword: null };
  const chosen = password ?? generatePassword();
  await agents.create({ name: 'Admin', email, role: 'admin', passwordHash: await hashPassword(chosen) });
  return { created: true, generatedPassword: password ? null : chosen };
}
