import type { Channel } from '@desk/core';
import type { Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';

// Read for every message of a channel that replies through peer details (the page, the real channel).
const peerDetails = prepared((q, p: { channel: Channel; externalId: string }) =>
  q.selectFrom('channel_peers').select('details').where('channel', '=', p.channel).where('external_id', '=', p.externalId),
);
// Written whenever a message brings details not known yet (a new sender, most often), in the batch.
const upsertPeer = prepared((q, row: { channel: Channel; external_id: string; details: string; updated_at: string }) =>
  q
    .insertInto('channel_peers')
    .values({ channel: row.channel, external_id: row.external_id, details: row.details, updated_at: row.updated_at })
    .onConflict((oc) =>
      oc.columns(['channel', 'external_id']).doUpdateSet((eb) => ({ details: eb.ref('excluded.details'), updated_at: eb.ref('excluded.updated_at') })),
    ),
);

/** At most this many peers' details are kept in memory (the map starts over when full). */
const MAX_KEPT = 10_000;

/**
 * What a platform told about the other end of a conversation that replying needs later.
 *
 * SQLite: the details of the peers seen lately are kept in memory as committed, so a message whose
 * details are already known (every Messenger, Instagram and Sunshine message brings them) reads no
 * row, and neither does its reply's send. Only the inbox processor writes them, and a SQLite file has
 * one Desk instance. PostgreSQL instances share the table: there every call reads it.
 */
export class ChannelPeers {
  private readonly kept: Map<string, Record<string, string>> | null;

  constructor(private readonly db: Db) {
    this.kept = db.dialect === 'sqlite' ? new Map() : null;
  }

  async get(channel: Channel, externalId: string): Promise<Record<string, string>> {
    const key = keyOf(channel, externalId);
    const known = this.kept?.get(key);
    if (known) return { ...known };
    const row = await peerDetails.first(this.db, { channel, externalId });
    const details = row ? (JSON.parse(row.details) as Record<string, string>) : {};
    // Read inside a transaction, the row may be one it wrote: kept once (if) that commits.
    if (row) this.keep(key, details);
    return { ...details };
  }

  /** Merges new details over the known ones; writes only when something changed. */
  async remember(channel: Channel, externalId: string, details: Record<string, string>, now: string): Promise<void> {
    const current = await this.get(channel, externalId);
    const next = { ...current, ...details };
    const stored = JSON.stringify(next);
    if (stored === JSON.stringify(current)) return;
    await upsertPeer.run(this.db, { channel, external_id: externalId, details: stored, updated_at: now });
    this.keep(keyOf(channel, externalId), next);
  }

  /** Keeps `details` as the peer's once the current transaction (if any) has committed. */
  private keep(key: string, details: Record<string, string>): void {
    const kept = this.kept;
    if (!kept) return;
    this.db.afterCommit(() => {
      if (kept.size >= MAX_KEPT) kept.clear();
      kept.set(key, details);
    });
  }
}

const keyOf = (channel: Channel, externalId: string) => `${channel}\u0000${externalId}`;
