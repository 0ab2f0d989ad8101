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

/**
 * Names for contacts whose first message came without one (Messenger, Instagram): looked up from the
 * platform after the webhook is acknowledged, and written through the contacts repository (so the
 * change log and sync see it) only while the contact still has its default name: an admin may have
 * renamed it meanwhile. A failed lookup is logged and leaves the default name.
 */
export class ContactProfiles {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: Deps) {}

  /** Before the message is stored: would its sender be a new contact whose name must be looked up? */
  async wantsLookup(item: InboundMessage): Promise<boolean> {
    if (!this.deps.sources[item.channel] || item.profile?.name?.trim()) return false;
    return (await this.deps.contacts.findByIdentity(item.channel, item.externalId)) === null;
  }

  /** After the message is stored: the contact just created and the name it got. */
  async created(item: InboundMessage, contactId: string): Promise<NewContact | null> {
    const contact = await this.deps.contacts.get(contactId);
    if (!contact) return null;
    return { channel: item.channel, externalId: item.externalId, contactId, defaultName: contact.name };
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
    await this.deps.db.transaction(async () => {
      const current = await this.deps.contacts.get(contact.contactId);
      if (current && current.name === contact.defaultName && name !== current.name) await this.deps.contacts.update(contact.contactId, { name });
    });
  }
}
