import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { hashToken } from './sessions.ts';

/** One-time set-password links for invited agents: valid 7 days, usable once. */
export class PasswordTokens {
  constructor(private readonly db: Db) {}

  async issue(agentId: string): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await this.db.q.insertInto('password_tokens').values({ token_hash: hashToken(token), agent_id: agentId, expires_at: expiresAt }).execute();
    return token;
  }

  /** The agent the token was issued for, marking it used in the same statement; null when unknown, used or expired. */
  async consume(token: string): Promise<string | null> {
    const now = new Date().toISOString();
    const row = await this.db.q
      .updateTable('password_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('agent_id')
      .executeTakeFirst();
    return row?.agent_id ?? null;
  }

  /** The agent's password was set: every link still out for them stops working. */
  async voidAllOf(agentId: string): Promise<void> {
    await this.db.q
      .updateTable('password_tokens')
      .set({ used_at: new Date().toISOString() })
      .where('agent_id', '=', agentId)
      .where('used_at', 'is', null)
      .execute();
  }

  /** Why a link can't be used, for the set-password page: unknown, used, or expired. */
  async stateOf(token: string): Promise<'valid' | 'used' | 'expired' | 'unknown'> {
    const row = await this.db.q
      .selectFrom('password_tokens')
      .select(['used_at', 'expires_at'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row) return 'unknown';
    if (row.used_at) return 'used';
    return row.expires_at > new Date().toISOString() ? 'valid' : 'expired';
  }
}
