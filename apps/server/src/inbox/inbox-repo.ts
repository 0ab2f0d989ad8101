import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';

/** Where an inbox row came from: one webhook each, and the web chat's POST. */
export const INBOX_SOURCES = ['telegram', 'meta', 'smooch', 'webchat'] as const;
export type InboxSource = (typeof INBOX_SOURCES)[number];

export interface InboxRow {
  id: number;
  source: InboxSource;
  eventId: string;
  /** The raw event as the platform sent it (the web chat: the validated visitor message). */
  payload: string;
  attempts: number;
  receivedAt: string;
}

export interface SetAsideRow extends InboxRow {
  error: string;
  processedAt: string;
}

interface Row {
  id: number;
  source: InboxSource;
  event_id: string;
  payload: string;
  attempts: number;
  error: string | null;
  received_at: string;
  processed_at: string | null;
}

const fromRow = (r: Row): InboxRow => ({ id: r.id, source: r.source, eventId: r.event_id, payload: r.payload, attempts: r.attempts, receivedAt: r.received_at });

/**
 * The durable inbox: a webhook's only write. Deduplicated on (source, platform event id), so a
 * platform's redelivery of an event already received is acknowledged without a second row.
 */
export class InboxRepo {
  private readonly insertRow;
  private readonly pending;

  constructor(private readonly db: Db) {
    this.insertRow = statement(db, 'INSERT OR IGNORE INTO inbox (source, event_id, payload, received_at) VALUES (?, ?, ?, ?)');
    this.pending = statement(db, "SELECT * FROM inbox WHERE state = 'pending' ORDER BY id LIMIT ?");
  }

  /** Answers false when the event was already in the inbox (a redelivery). */
  insert(source: InboxSource, eventId: string, payload: string, receivedAt: string): boolean {
    return this.insertRow.run(source, eventId, payload, receivedAt).changes > 0;
  }

  /** The oldest pending rows, in arrival order. */
  takePending(limit: number): InboxRow[] {
    return (this.pending.all(limit) as Row[]).map(fromRow);
  }

  /** Processed: only the dedupe key is kept (the payload is now in the messages it produced). */
  markDone(id: number, now: string): void {
    statement(this.db, "UPDATE inbox SET state = 'done', payload = '', processed_at = ?, attempts = attempts + 1, error = NULL WHERE id = ?").run(now, id);
  }

  /** The row threw: retried by a later batch, or set aside for good after `maxAttempts`. */
  recordFailure(id: number, error: string, maxAttempts: number, now: string): 'retry' | 'set_aside' {
    const row = statement(this.db, 'SELECT attempts FROM inbox WHERE id = ?').get(id) as { attempts: number } | undefined;
    const attempts = (row?.attempts ?? 0) + 1;
    const state = attempts >= maxAttempts ? 'set_aside' : 'pending';
    statement(this.db, 'UPDATE inbox SET state = ?, attempts = ?, error = ?, processed_at = ? WHERE id = ?').run(state, attempts, error.slice(0, 2000), now, id);
    return state === 'set_aside' ? 'set_aside' : 'retry';
  }

  /** Events the processor gave up on, newest first (admins look at them). */
  setAside(limit = 100): SetAsideRow[] {
    const rows = statement(this.db, "SELECT * FROM inbox WHERE state = 'set_aside' ORDER BY id DESC LIMIT ?").all(limit) as Row[];
    return rows.map((r) => ({ ...fromRow(r), error: r.error ?? '', processedAt: r.processed_at ?? r.received_at }));
  }

  /** Puts a set-aside event back in line (after the cause was fixed). */
  requeue(id: number): boolean {
    return statement(this.db, "UPDATE inbox SET state = 'pending', attempts = 0, error = NULL WHERE id = ? AND state = 'set_aside'").run(id).changes > 0;
  }

  /** How many rows wait, and since when the oldest one does. */
  depth(): { pending: number; oldestReceivedAt: string | null } {
    const count = statement(this.db, "SELECT COUNT(*) AS n FROM inbox WHERE state = 'pending'").get() as { n: number };
    const oldest = statement(this.db, "SELECT received_at FROM inbox WHERE state = 'pending' ORDER BY id LIMIT 1").get() as { received_at: string } | undefined;
    return { pending: count.n, oldestReceivedAt: oldest?.received_at ?? null };
  }

  /** The newest row's id (0 when empty): a mark for `pruneDoneUpTo` later. */
  lastId(): number {
    return (statement(this.db, 'SELECT COALESCE(MAX(id), 0) AS id FROM inbox').get() as { id: number }).id;
  }

  /** Forgets processed rows up to a mark taken a while ago: the dedupe window is their lifetime. */
  pruneDoneUpTo(id: number): number {
    return statement(this.db, "DELETE FROM inbox WHERE id <= ? AND state = 'done'").run(id).changes;
  }
}
