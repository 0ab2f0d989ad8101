import { createHash, randomBytes } from 'node:crypto';
import type { Agent } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import { agentFromRow } from './agents-repo.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Server-side sessions: the client holds a random token, the database only its hash, so a
 * leaked database can't be replayed and a session can be revoked at any time.
 */
/** Which sessions just ended: one (by token hash) or all of an agent's but `except`. */
export type SessionRevocation = { tokenHash: string } | { agentId: string; except: string | null };

export class Sessions {
  private readonly revokedListeners = new Set<(revocation: SessionRevocation) => void>();

  constructor(
    private readonly db: Db,
    private readonly days: number,
  ) {}

  create(agentId: string): { token: string; expiresAt: string } {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.days * 86_400_000).toISOString();
    statement(
      this.db,
      'INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    ).run(hashToken(token), agentId, now.toISOString(), expiresAt);
    return { token, expiresAt };
  }

  /** The active agent behind a token, or null when the session is unknown, expired, revoked or the agent deactivated. */
  resolve(token: string): { agent: Agent; tokenHash: string } | null {
    const tokenHash = hashToken(token);
    const row = statement(
      this.db,
      `SELECT a.* FROM sessions s JOIN agents a ON a.id = s.agent_id
         WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND a.active = 1`,
    ).get(tokenHash, new Date().toISOString()) as Parameters<typeof agentFromRow>[0] | undefined;
    return row ? { agent: agentFromRow(row), tokenHash } : null;
  }

  /** Whether the session behind this token hash is still usable (not revoked, expired or deactivated). */
  isLive(tokenHash: string): boolean {
    return !!statement(
      this.db,
      `SELECT 1 FROM sessions s JOIN agents a ON a.id = s.agent_id
         WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND a.active = 1`,
    ).get(tokenHash, new Date().toISOString());
  }

  revoke(tokenHash: string): void {
    statement(
      this.db,
      'UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL',
    ).run(new Date().toISOString(), tokenHash);
    this.announce({ tokenHash });
  }

  /** Ends every session of the agent (after a deactivation or a new password), but `except` when given. */
  revokeAllOf(agentId: string, except: string | null = null): void {
    statement(
      this.db,
      'UPDATE sessions SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL AND token_hash IS NOT ?',
    ).run(new Date().toISOString(), agentId, except);
    this.announce({ agentId, except });
  }

  /** Long-lived connections (event streams) close when their session ends. Answers the unsubscribe. */
  onRevoked(listener: (revocation: SessionRevocation) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  private announce(revocation: SessionRevocation): void {
    for (const listener of this.revokedListeners) listener(revocation);
  }
}

/** Whether a revocation ends the session `tokenHash` of `agentId`. */
export function revocationEnds(revocation: SessionRevocation, session: { tokenHash: string; agentId: string }): boolean {
  if ('tokenHash' in revocation) return revocation.tokenHash === session.tokenHash;
  return revocation.agentId === session.agentId && revocation.except !== session.tokenHash;
}
