import { randomBytes } from 'node:crypto';
import { hashToken } from '../../accounts/sessions.ts';
import type { Db } from '../../db/database.ts';

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
  async resolve(token: string): Promise<string | null> {
    const row = await this.db.q.selectFrom('webchat_visitors').select('id').where('token_hash', '=', hashToken(token)).executeTakeFirst();
    return row?.id ?? null;
  }

  /** What an id (sent without a token) is: free for a new visitor, legacy (claimable) or taken. */
  async lookup(visitorId: string): Promise<VisitorLookup> {
    const row = await this.db.q.selectFrom('webchat_visitors').select('token_hash').where('id', '=', visitorId).executeTakeFirst();
    if (!row) return { kind: 'unknown' };
    return row.token_hash === null ? { kind: 'legacy', visitorId } : { kind: 'taken' };
  }

  /** A new visitor with the given (free) id. */
  async create(visitorId: string, now: string): Promise<VisitorCredential> {
    const visitorToken = newToken();
    await this.db.q.insertInto('webchat_visitors').values({ id: visitorId, token_hash: hashToken(visitorToken), created_at: now, token_issued_at: now }).execute();
    return { visitorId, visitorToken };
  }

  /**
   * A new token for the visitor; the previous one stops working. For a legacy visitor only while
   * they have none (the claim happens once). Answers null when there is nothing to issue for.
   */
  async issue(visitorId: string, now: string, options: { onlyIfLegacy: boolean }): Promise<VisitorCredential | null> {
    const visitorToken = newToken();
    let update = this.db.q.updateTable('webchat_visitors').set({ token_hash: hashToken(visitorToken), token_issued_at: now }).where('id', '=', visitorId);
    if (options.onlyIfLegacy) update = update.where('token_hash', 'is', null);
    const result = await update.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? { visitorId, visitorToken } : null;
  }
}
