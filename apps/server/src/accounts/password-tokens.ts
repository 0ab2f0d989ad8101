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

  /** The agent the token was issued for, marking it used; null when unknown, used or expired. */
  consume(token: string): string | null {
    const now = new Date().toISOString();
    const row = statement(
      this.db,
      'SELECT agent_id FROM password_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
    ).get(hashToken(token), now) as { agent_id: string } | undefined;
    if (!row) return null;
    statement(this.db, 'UPDATE password_tokens SET used_at = ? WHERE token_hash = ?').run(now, hashToken(token));
    return row.agent_id;
  }
}
