import { createHash, randomBytes } from 'node:crypto';
import type { Agent } from '@desk/core';
import type { Db } from '../db/database.ts';
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

  async create(agentId: string): Promise<{ token: string; expiresAt: string }> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.days * 86_400_000).toISOString();
    await this.db.q
      .insertInto('sessions')
      .values({ token_hash: hashToken(token), agent_id: agentId, created_at: now.toISOString(), expires_at: expiresAt })
      .execute();
    return { token, expiresAt };
  }

  private live(tokenHash: string) {
    return this.db.q
      .selectFrom('sessions as s')
      .innerJoin('agents as a', 'a.id', 's.agent_id')
      .where('s.token_hash', '=', tokenHash)
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', new Date().toISOString())
      .where('a.active', '=', 1);
  }

  /** The active agent behind a token, or null when the session is unknown, expired, revoked or the agent deactivated. */
  async resolve(token: string): Promise<{ agent: Agent; tokenHash: string } | null> {
    const tokenHash = hashToken(token);
    const row = await this.live(tokenHash).selectAll('a').executeTakeFirst();
    return row ? { agent: agentFromRow(row), tokenHash } : null;
  }

  /**
   * The agent behind a live session as it is now (a role changed since sign-in shows), or null when
   * the session is no longer usable: long-lived connections re-read it instead of trusting the agent
   * they opened with.
   */
  async liveAgent(tokenHash: string): Promise<Agent | null> {
    const row = await this.live(tokenHash).selectAll('a').executeTakeFirst();
    return row ? agentFromRow(row) : null;
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.db.q
      .updateTable('sessions')
      .set({ revoked_at: new Date().toISOString() })
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .execute();
    this.db.afterCommit(() => this.announce({ tokenHash }));
  }

  /** Ends every session of the agent (after a deactivation or a new password), but `except` when given. */
  async revokeAllOf(agentId: string, except: string | null = null): Promise<void> {
    let update = this.db.q
      .updateTable('sessions')
      .set({ revoked_at: new Date().toISOString() })
      .where('agent_id', '=', agentId)
      .where('revoked_at', 'is', null);
    if (except !== null) update = update.where('token_hash', '!=', except);
    await update.execute();
    this.db.afterCommit(() => this.announce({ agentId, except }));
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
