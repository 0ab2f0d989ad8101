import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import { hashToken } from './sessions.ts';

/** One-time set-password links for invited agents: valid 7 days, usable once. */
export class PasswordTokens {
  constructor(private readonly db: Db) {}

  issue(agentId: string): string {
    const token = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    statement(
      this.db,
      'INSERT INTO password_tokens (token_hash, agent_id, expires_at) VALUES (?, ?, ?)',
    ).run(hashToken(token), agentId, expiresAt);
    return token;
  }

  /** The agent the token was issued for, marking it used in the same statement; null when unknown, used or expired. */
  consume(token: string): string | null {
    const now = new Date().toISOString();
    const row = statement(
      this.db,
      'UPDATE password_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING agent_id',
    ).get(now, hashToken(token), now) as { agent_id: string } | undefined;
    return row?.agent_id ?? null;
  }

  /** The agent's password was set: every link still out for them stops working. */
  voidAllOf(agentId: string): void {
    statement(this.db, 'UPDATE password_tokens SET used_at = ? WHERE agent_id = ? AND used_at IS NULL').run(new Date().toISOString(), agentId);
  }

  /** Why a link can't be used, for the set-password page: unknown, used, or expired. */
  stateOf(token: string): 'valid' | 'used' | 'expired' | 'unknown' {
    const row = statement(this.db, 'SELECT used_at, expires_at FROM password_tokens WHERE token_hash = ?').get(hashToken(token)) as
      | { used_at: string | null; expires_at: string }
      | undefined;
    if (!row) return 'unknown';
    if (row.used_at) return 'used';
    return row.expires_at > new Date().toISOString() ? 'valid' : 'expired';
  }
}
