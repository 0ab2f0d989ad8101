import { randomBytes } from 'node:crypto';
import { hashToken } from '../../accounts/sessions.ts';
import type { Db } from '../../db/database.ts';
import { statement } from '../../db/statements.ts';

/** What a visitor holds: the public id (agents see it) and the secret token (only the widget has it). */
export interface VisitorCredential {
  visitorId: string;
  visitorToken: string;
}

export type VisitorLookup =
  | { kind: 'visitor'; visitorId: string }
  /** A visitor from before tokens: their old id may claim a token, once. */
  | { kind: 'legacy'; visitorId: string }
  | { kind: 'taken' }
  | { kind: 'unknown' };

const newToken = () => randomBytes(32).toString('base64url');

/**
 * The web chat's visitors and their secret tokens. The database keeps only the token's hash; the
 * public id is the conversation's external id, which agents see.
 */
export class WebchatVisitors {
  constructor(private readonly db: Db) {}

  /** The visitor a token belongs to, or null. */
  resolve(token: string): string | null {
    const row = statement(this.db, 'SELECT id FROM webchat_visitors WHERE token_hash = ?').get(hashToken(token)) as { id: string } | undefined;
    return row?.id ?? null;
  }

  /** What an id (sent without a token) is: free for a new visitor, legacy (claimable) or taken. */
  lookup(visitorId: string): VisitorLookup {
    const row = statement(this.db, 'SELECT token_hash FROM webchat_visitors WHERE id = ?').get(visitorId) as { token_hash: string | null } | undefined;
    if (!row) return { kind: 'unknown' };
    return row.token_hash === null ? { kind: 'legacy', visitorId } : { kind: 'taken' };
  }

  /** A new visitor with the given (free) id. */
  create(visitorId: string, now: string): VisitorCredential {
    const visitorToken = newToken();
    statement(this.db, 'INSERT INTO webchat_visitors (id, token_hash, created_at, token_issued_at) VALUES (?, ?, ?, ?)').run(
      visitorId,
      hashToken(visitorToken),
      now,
      now,
    );
    return { visitorId, visitorToken };
  }

  /**
   * A new token for the visitor; the previous one stops working. For a legacy visitor only while
   * they have none (the claim happens once). Answers null when there is nothing to issue for.
   */
  issue(visitorId: string, now: string, options: { onlyIfLegacy: boolean }): VisitorCredential | null {
    const visitorToken = newToken();
    const changed = statement(
      this.db,
      `UPDATE webchat_visitors SET token_hash = ?, token_issued_at = ? WHERE id = ?${options.onlyIfLegacy ? ' AND token_hash IS NULL' : ''}`,
    ).run(hashToken(visitorToken), now, visitorId).changes;
    return changed === 1 ? { visitorId, visitorToken } : null;
  }
}
