import type { Channel } from '@desk/core';
import type { Db } from '../../db/database.ts';
import { statement } from '../../db/statements.ts';

/** What a platform told about the other end of a conversation that replying needs later. */
export class ChannelPeers {
  constructor(private readonly db: Db) {}

  get(channel: Channel, externalId: string): Record<string, string> {
    const row = statement(this.db, 'SELECT details FROM channel_peers WHERE channel = ? AND external_id = ?').get(channel, externalId) as
      | { details: string }
      | undefined;
    return row ? (JSON.parse(row.details) as Record<string, string>) : {};
  }

  /** Merges new details over the known ones; writes only when something changed. */
  remember(channel: Channel, externalId: string, details: Record<string, string>, now: string): void {
    const current = this.get(channel, externalId);
    const next = { ...current, ...details };
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    statement(
      this.db,
      `INSERT INTO channel_peers (channel, external_id, details, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel, external_id) DO UPDATE SET details = excluded.details, updated_at = excluded.updated_at`,
    ).run(channel, externalId, JSON.stringify(next), now);
  }
}
