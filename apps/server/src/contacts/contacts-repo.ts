import { randomUUID } from 'node:crypto';
import type { Channel, ChannelIdentity, Contact } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import type { Clock } from '../shared/clock.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';

interface ContactRow {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  designated_agent_id: string | null;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewContact {
  id?: string;
  name: string;
  phone?: string | null;
  email?: string | null;
  designatedAgentId?: string | null;
}

export type ContactChanges = Partial<Omit<NewContact, 'id'>>;

/** End users and their channel identities. Deleting is soft: tickets keep their requester. */
export class ContactsRepo {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  private identitiesOf(contactId: string): ChannelIdentity[] {
    const rows = statement(
      this.db,
      'SELECT channel, external_id FROM contact_identities WHERE contact_id = ? ORDER BY channel, external_id',
    ).all(contactId) as { channel: Channel; external_id: string }[];
    return rows.map((r) => ({ channel: r.channel, externalId: r.external_id }));
  }

  private fromRow(row: ContactRow): Contact {
    return {
      id: row.id,
      name: row.name,
      phone: row.phone,
      email: row.email,
      designatedAgentId: row.designated_agent_id,
      identities: this.identitiesOf(row.id),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** Live contacts only; `includeDeleted` for the engine, which still talks to a deleted contact's identities. */
  get(id: string, options: { includeDeleted?: boolean } = {}): Contact | null {
    const row = statement(this.db, 'SELECT * FROM contacts WHERE id = ?').get(id) as ContactRow | undefined;
    if (!row || (row.deleted_at && !options.includeDeleted)) return null;
    return this.fromRow(row);
  }

  list(query: { q?: string; limit: number; offset: number }): Contact[] {
    const like = query.q ? `%${query.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%` : null;
    const rows = statement(
      this.db,
      `SELECT * FROM contacts WHERE deleted_at IS NULL
           AND (? IS NULL OR name LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')
         ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?`,
    ).all(like, like, like, like, query.limit, query.offset) as ContactRow[];
    return rows.map((r) => this.fromRow(r));
  }

  /** The live contact holding this phone, if any (phones are unique among live contacts). */
  findByPhone(phone: string): Contact | null {
    const row = statement(this.db, 'SELECT * FROM contacts WHERE phone = ? AND deleted_at IS NULL').get(phone) as
      | ContactRow
      | undefined;
    return row ? this.fromRow(row) : null;
  }

  findByIdentity(channel: Channel, externalId: string): Contact | null {
    const row = statement(
      this.db,
      'SELECT c.* FROM contacts c JOIN contact_identities i ON i.contact_id = c.id WHERE i.channel = ? AND i.external_id = ?',
    ).get(channel, externalId) as ContactRow | undefined;
    return row ? this.fromRow(row) : null;
  }

  create(input: NewContact, identity?: ChannelIdentity): Contact {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    return this.db.transaction(() => {
      const now = this.clock();
      const id = input.id ?? randomUUID();
      statement(
        this.db,
        'INSERT INTO contacts (id, name, phone, email, designated_agent_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(id, input.name, input.phone ?? null, input.email ?? null, input.designatedAgentId ?? null, now, now);
      if (identity) this.insertIdentity(id, identity);
      return this.recorded(id);
    })();
  }

  addIdentity(contactId: string, identity: ChannelIdentity): Contact {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    return this.db.transaction(() => {
      this.insertIdentity(contactId, identity);
      this.touch(contactId);
      return this.recorded(contactId);
    })();
  }

  update(id: string, changes: ContactChanges): Contact {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    return this.db.transaction(() => {
      const row = statement(this.db, 'SELECT * FROM contacts WHERE id = ?').get(id) as ContactRow;
      statement(this.db, 'UPDATE contacts SET name = ?, phone = ?, email = ?, designated_agent_id = ?, updated_at = ? WHERE id = ?').run(
        changes.name ?? row.name,
        changes.phone === undefined ? row.phone : changes.phone,
        changes.email === undefined ? row.email : changes.email,
        changes.designatedAgentId === undefined ? row.designated_agent_id : changes.designatedAgentId,
        this.clock(),
        id,
      );
      return this.recorded(id);
    })();
  }

  softDelete(id: string): void {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    this.db.transaction(() => {
      const now = this.clock();
      statement(this.db, 'UPDATE contacts SET deleted_at = ?, updated_at = ? WHERE id = ?').run(now, now, id);
      this.changes.record('contact', id, 'delete', null);
    })();
  }

  private insertIdentity(contactId: string, identity: ChannelIdentity): void {
    statement(
      this.db,
      'INSERT INTO contact_identities (channel, external_id, contact_id) VALUES (?, ?, ?)',
    ).run(identity.channel, identity.externalId, contactId);
  }

  private touch(id: string): void {
    statement(this.db, 'UPDATE contacts SET updated_at = ? WHERE id = ?').run(this.clock(), id);
  }

  private recorded(id: string): Contact {
    const contact = this.get(id, { includeDeleted: true }) as Contact;
    this.changes.record('contact', id, 'put', contact);
    return contact;
  }
}
