import type { Channel } from '@desk/core';
import type { Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';

// Read for every message of a channel that replies through peer details (the page, the real channel).
const peerDetails = prepared((q, p: { channel: Channel; externalId: string }) =>
  q.selectFrom('channel_peers').select('details').where('channel', '=', p.channel).where('external_id', '=', p.externalId),
);

/** What a platform told about the other end of a conversation that replying needs later. */
export class ChannelPeers {
  constructor(private readonly db: Db) {}

  async get(channel: Channel, externalId: string): Promise<Record<string, string>> {
    const row = await peerDetails.first(this.db, { channel, externalId });
    return row ? (JSON.parse(row.details) as Record<string, string>) : {};
  }

  /** Merges new details over the known ones; writes only when something changed. */
  async remember(channel: Channel, externalId: string, details: Record<string, string>, now: string): Promise<void> {
    const current = await this.get(channel, externalId);
    const next = { ...current, ...details };
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    await this.db.q
      .insertInto('channel_peers')
      .values({ channel, external_id: externalId, details: JSON.stringify(next), updated_at: now })
      .onConflict((oc) =>
        oc.columns(['channel', 'external_id']).doUpdateSet((eb) => ({ details: eb.ref('excluded.details'), updated_at: eb.ref('excluded.updated_at') })),
      )
      .execute();
  }
}
