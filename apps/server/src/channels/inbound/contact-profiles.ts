import type { Channel } from '@desk/core';
import type { ContactsRepo } from '../../contacts/contacts-repo.ts';
import type { Db } from '../../db/database.ts';
import type { InboundMessage } from '../../conversations/engine.ts';

/** Where a channel whose webhooks carry no name looks the sender's name up. */
export interface ProfileSource {
  /** The sender's name, null when the platform tells none; throws when the lookup fails. */
  nameOf(externalId: string): Promise<string | null>;
}

/** A contact created by a first message, still carrying the name Desk gave it. */
export interface NewContact {
  channel: Channel;
  externalId: string;
  contactId: string;
  defaultName: string;
}

interface Deps {
  db: Db;
  contacts: ContactsRepo;
  sources: Partial<Record<Channel, ProfileSource>>;
}

const MAX_NAME = 120;
/** At most this many known senders are kept in memory (the set starts over when full). */
const MAX_KNOWN_SENDERS = 10_000;

const senderKey = (channel: Channel, externalId: string) => `${channel}\u0000${externalId}`;

/**
 * Names for contacts whose first message came without one (Messenger, Instagram): looked up from the
 * platform after the webhook is acknowledged, and written through the contacts repository (so the
 * change log and sync see it) only while the contact still has its default name: an admin may have
 * renamed it meanwhile. A failed lookup is logged and leaves the default name.
 */
export class ContactProfiles {
  private readonly running = new Set<Promise<void>>();
  /** Names that came back and wait for this turn's write; null when no write is scheduled. */
  private pending: NamedContact[] | null = null;
  /** Senders known to have a contact: every message of theirs but the first would read that again. */
  private readonly knownSenders = new Set<string>();

  constructor(private readonly deps: Deps) {}

  /** Before the message is stored: would its sender be a new contact whose name must be looked up? */
  async wantsLookup(item: InboundMessage): Promise<boolean> {
    if (!this.deps.sources[item.channel] || item.profile?.name?.trim()) return false;
    const key = senderKey(item.channel, item.externalId);
    if (this.knownSenders.has(key)) return false;
    const known = await this.deps.contacts.hasIdentity(item.channel, item.externalId);
    if (known) this.knowSender(key);
    return !known;
  }

  /** An identity row is never deleted: a sender seen with one is never new again (on any instance). */
  private knowSender(key: string): void {
    if (this.knownSenders.size >= MAX_KNOWN_SENDERS) this.knownSenders.clear();
    this.knownSenders.add(key);
  }

  /** After the message is stored: the contact just created and the name it got. */
  async created(item: InboundMessage, contactId: string): Promise<NewContact | null> {
    this.knowSender(senderKey(item.channel, item.externalId));
    const name = await this.deps.contacts.nameOf(contactId);
    if (name === null) return null;
    return { channel: item.channel, externalId: item.externalId, contactId, defaultName: name };
  }

  /** Starts the lookups on a later turn of the event loop: never before the webhook is answered. */
  schedule(contacts: NewContact[]): void {
    for (const contact of contacts) {
      const run = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.lookup(contact))
        .catch((err: unknown) => console.warn(`[desk] ${contact.channel} profile lookup failed; keeping "${contact.defaultName}":`, (err as Error)?.message ?? err))
        .finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  /** Resolves once every lookup started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async lookup(contact: NewContact): Promise<void> {
    const source = this.deps.sources[contact.channel];
    if (!source) return;
    const name = (await source.nameOf(contact.externalId))?.trim().slice(0, MAX_NAME);
    if (!name) return;
    await this.rename(contact, name);
  }

  /**
   * Writes the name with the others that came back in the same turn of the event loop, in one
   * transaction: a busy inbox brings hundreds of new Messenger and Instagram senders a second, and a
   * transaction of its own per name cost more than the rename (BEGIN and COMMIT, the savepoint).
   */
  private rename(contact: NewContact, name: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (!this.pending) {
        this.pending = [];
        setImmediate(() => void this.writeNames());
      }
      this.pending.push({ contact, name, resolve, reject });
    });
  }

  private async writeNames(): Promise<void> {
    const named = this.pending ?? [];
    this.pending = null;
    try {
      await this.deps.db.transaction(async () => {
        for (const { contact, name } of named) await this.deps.contacts.renameFromDefault(contact.contactId, contact.defaultName, name);
      });
    } catch (err) {
      for (const { reject } of named) reject(err);
      return;
    }
    for (const { resolve } of named) resolve();
  }
}

/** A looked-up name waiting for its turn's write, and the lookup waiting for it. */
interface NamedContact {
  contact: NewContact;
  name: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}
