import { type Channel, type ChannelIdentity, type Contact, timeOrderedId } from '@desk/core';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import { caseless, containsPattern, likeText } from '../db/dialect-sql.ts';
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

function contactOf(row: ContactRow, identities: ChannelIdentity[]): Contact {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    designatedAgentId: row.designated_agent_id,
    identities,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// The engine's reads and writes of one contact (a new conversation, a hand-off, a looked-up name)
// run for many messages of an inbox batch: compiled once.
const insertContact = prepared(
  (q, row: { id: string; name: string; phone: string | null; email: string | null; designated_agent_id: string | null; created_at: string; updated_at: string }) =>
    q.insertInto('contacts').values({
      id: row.id, name: row.name, phone: row.phone, email: row.email, designated_agent_id: row.designated_agent_id, created_at: row.created_at, updated_at: row.updated_at,
    }),
);
const insertIdentityRow = prepared((q, row: { channel: Channel; external_id: string; contact_id: string }) =>
  q.insertInto('contact_identities').values({ channel: row.channel, external_id: row.external_id, contact_id: row.contact_id }),
);
const contactByIdentity = prepared((q, p: { channel: Channel; externalId: string }) =>
  q.selectFrom('contacts as c').innerJoin('contact_identities as i', 'i.contact_id', 'c.id').selectAll('c').where('i.channel', '=', p.channel).where('i.external_id', '=', p.externalId),
);
const contactById = prepared((q, p: { id: string }) => q.selectFrom('contacts').selectAll().where('id', '=', p.id));
const liveContactName = prepared((q, p: { id: string }) => q.selectFrom('contacts').select('name').where('id', '=', p.id).where('deleted_at', 'is', null));
const liveContactByPhone = prepared((q, p: { phone: string }) =>
  q.selectFrom('contacts').selectAll().where('phone', '=', p.phone).where('deleted_at', 'is', null),
);
const hasIdentityRow = prepared((q, p: { channel: Channel; externalId: string }) =>
  q.selectFrom('contact_identities').select('contact_id').where('channel', '=', p.channel).where('external_id', '=', p.externalId),
);
const updateContactRow = prepared(
  (q, row: { id: string; name: string; phone: string | null; email: string | null; designated_agent_id: string | null; updated_at: string }) =>
    q
      .updateTable('contacts')
      .set({ name: row.name, phone: row.phone, email: row.email, designated_agent_id: row.designated_agent_id, updated_at: row.updated_at })
      .where('id', '=', row.id),
);
// A platform's name replaces the one Desk gave only while the contact still has it and is live.
const renameFromDefaultRow = prepared((q, p: { id: string; defaultName: string; name: string; updatedAt: string }) =>
  q
    .updateTable('contacts')
    .set({ name: p.name, updated_at: p.updatedAt })
    .where('id', '=', p.id)
    .where('name', '=', p.defaultName)
    .where('deleted_at', 'is', null),
);
const touchContact = prepared((q, p: { id: string; updatedAt: string }) => q.updateTable('contacts').set({ updated_at: p.updatedAt }).where('id', '=', p.id));
const identitiesOf = prepared((q, p: { contactId: string }) =>
  q.selectFrom('contact_identities').select(['contact_id', 'channel', 'external_id']).where('contact_id', '=', p.contactId).orderBy('channel').orderBy('external_id'),
);

/** End users and their channel identities. Deleting is soft: tickets keep their requester. */
export class ContactsRepo {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  /** Contacts with their identities, read in one query for the whole list. */
  private async withIdentities(rows: ContactRow[]): Promise<Contact[]> {
    if (rows.length === 0) return [];
    const identities = await this.db.q
      .selectFrom('contact_identities')
      .select(['contact_id', 'channel', 'external_id'])
      .where('contact_id', 'in', rows.map((r) => r.id))
      .orderBy('channel')
      .orderBy('external_id')
      .execute();
    const byContact = new Map<string, ChannelIdentity[]>();
    for (const r of identities) {
      const list = byContact.get(r.contact_id) ?? [];
      list.push({ channel: r.channel as Channel, externalId: r.external_id });
      byContact.set(r.contact_id, list);
    }
    return rows.map((row) => contactOf(row, byContact.get(row.id) ?? []));
  }

  private async one(row: ContactRow | undefined): Promise<Contact | null> {
    if (!row) return null;
    const identities = await identitiesOf.all(this.db, { contactId: row.id });
    return contactOf(row, identities.map((r) => ({ channel: r.channel as Channel, externalId: r.external_id })));
  }

  /** Live contacts only; `includeDeleted` for the engine, which still talks to a deleted contact's identities. */
  async get(id: string, options: { includeDeleted?: boolean } = {}): Promise<Contact | null> {
    const row = (await contactById.first(this.db, { id })) as ContactRow | undefined;
    if (!row || (row.deleted_at && !options.includeDeleted)) return null;
    return this.one(row);
  }

  async list(query: { q?: string; limit: number; offset: number }): Promise<Contact[]> {
    let select = this.db.q.selectFrom('contacts').selectAll().where('deleted_at', 'is', null);
    if (query.q) {
      const like = containsPattern(query.q);
      const matches = (column: 'name' | 'phone' | 'email') => likeText(this.db.dialect, sql.ref(column), like);
      select = select.where((eb) => eb.or([matches('name'), matches('phone'), matches('email')]));
    }
    const rows = await select.orderBy(caseless(this.db.dialect, sql.ref('name'))).orderBy('id').limit(query.limit).offset(query.offset).execute();
    return this.withIdentities(rows);
  }

  /** The live contact holding this phone, if any (phones are unique among live contacts). */
  async findByPhone(phone: string): Promise<Contact | null> {
    const row = (await liveContactByPhone.first(this.db, { phone })) as ContactRow | undefined;
    return this.one(row);
  }

  /** A live contact's name (no identities read), null when there is none. */
  async nameOf(id: string): Promise<string | null> {
    return (await liveContactName.first(this.db, { id }))?.name ?? null;
  }

  /** Whether any contact holds this channel identity (one row read, the contact's not). */
  async hasIdentity(channel: Channel, externalId: string): Promise<boolean> {
    return (await hasIdentityRow.first(this.db, { channel, externalId })) !== undefined;
  }

  async findByIdentity(channel: Channel, externalId: string): Promise<Contact | null> {
    const row = (await contactByIdentity.first(this.db, { channel, externalId })) as ContactRow | undefined;
    return this.one(row);
  }

  create(input: NewContact, identity?: ChannelIdentity): Promise<Contact> {
    // The row and its change-log entry commit together. Inside a caller's transaction they are
    // written straight into it, with no savepoint of their own: its callers there (the inbox batch,
    // a sync mutation) already undo a failed row or mutation whole with theirs, and the engine creates
    // a contact for every new conversation, 20 % of a busy inbox (the savepoint's two statements
    // and its layers cost about as much as the contact's insert).
    if (this.db.inTransaction) return this.insertNew(input, identity);
    return this.db.transaction(() => this.insertNew(input, identity));
  }

  /** The contact's rows and its change-log entry, in the current transaction. */
  private async insertNew(input: NewContact, identity?: ChannelIdentity): Promise<Contact> {
    const now = this.clock();
    const id = input.id ?? timeOrderedId();
    await insertContact.run(this.db, {
      id,
      name: input.name,
      phone: input.phone ?? null,
      email: input.email ?? null,
      designated_agent_id: input.designatedAgentId ?? null,
      created_at: now,
      updated_at: now,
    });
    if (identity) await this.insertIdentity(id, identity);
    // A new contact is exactly what was just written: not read back (a new conversation's first message).
    const contact: Contact = {
      id,
      name: input.name,
      phone: input.phone ?? null,
      email: input.email ?? null,
      designatedAgentId: input.designatedAgentId ?? null,
      identities: identity ? [{ channel: identity.channel, externalId: identity.externalId }] : [],
      createdAt: now,
      updatedAt: now,
    };
    await this.changes.record('contact', id, 'put', contact);
    return contact;
  }

  addIdentity(contactId: string, identity: ChannelIdentity): Promise<Contact> {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    return this.db.transaction(async () => {
      await this.insertIdentity(contactId, identity);
      await touchContact.run(this.db, { id: contactId, updatedAt: this.clock() });
      return this.recorded(contactId);
    });
  }

  update(id: string, changes: ContactChanges): Promise<Contact> {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    return this.db.transaction(async () => {
      const row = (await contactById.first(this.db, { id })) as ContactRow | undefined;
      if (!row) throw new Error(`No contact ${id}.`);
      await updateContactRow.run(this.db, {
        id,
        name: changes.name ?? row.name,
        phone: changes.phone === undefined ? row.phone : changes.phone,
        email: changes.email === undefined ? row.email : changes.email,
        designated_agent_id: changes.designatedAgentId === undefined ? row.designated_agent_id : changes.designatedAgentId,
        updated_at: this.clock(),
      });
      return this.recorded(id);
    });
  }

  /**
   * Names a live contact `name` only while it still has `defaultName`, the one Desk gave it (an admin
   * may have renamed it meanwhile); answers whether it did. Inside a caller's transaction it writes
   * straight into it (several looked-up names share one transaction, see ContactProfiles).
   */
  renameFromDefault(id: string, defaultName: string, name: string): Promise<boolean> {
    if (name === defaultName) return Promise.resolve(false);
    const rename = async () => {
      const changed = await renameFromDefaultRow.run(this.db, { id, defaultName, name, updatedAt: this.clock() });
      if (changed === 0) return false;
      await this.recorded(id);
      return true;
    };
    if (this.db.inTransaction) return rename();
    return this.db.transaction(rename);
  }

  async softDelete(id: string): Promise<void> {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    await this.db.transaction(async (q) => {
      const now = this.clock();
      await q.updateTable('contacts').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
      await this.changes.record('contact', id, 'delete', null);
    });
  }

  private async insertIdentity(contactId: string, identity: ChannelIdentity): Promise<void> {
    await insertIdentityRow.run(this.db, { channel: identity.channel, external_id: identity.externalId, contact_id: contactId });
  }

  private async recorded(id: string): Promise<Contact> {
    const contact = (await this.get(id, { includeDeleted: true })) as Contact;
    await this.changes.record('contact', id, 'put', contact);
    return contact;
  }
}
