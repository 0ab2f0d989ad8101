import { DEFAULT_OFFER_PERSON, type DeskIntegration, OfferPerson, type OfferPersonInput } from '@desk/core';
import type { Db } from '../db/database.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';
import { readJsonSetting, writeJsonSetting } from '../db/settings-store.ts';

const KEY = 'desk_integration';
/** The change feed's id for the one Desk integration. */
export const DESK_INTEGRATION_ID = 'desk';
export const DEFAULT_DESK_INTEGRATION: DeskIntegration = { subject: 'Desk', tags: ['desk'], enabled: true, offerPerson: DEFAULT_OFFER_PERSON };

/**
 * The Desk integration lives in `settings` as one JSON value; absent means the defaults. The engine
 * reads it for every message the bot answers, so the value is kept in memory: forgotten when this
 * repository writes it, and when another instance or thread announces its write (`onChange`/`forget`,
 * through fanout/settings-pokes.ts).
 */
export class DeskIntegrationRepo {
  private cached: Promise<DeskIntegration> | null = null;
  /** A `put` has not committed yet (or its transaction rolled back): read the row, keep nothing. */
  private uncommitted = false;
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
  ) {}

  /** `listener` runs after the commit of a `put` (the other instances and threads then call `forget`). */
  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  /** Another instance or thread changed the integration: read it again when next needed. */
  forget(): void {
    this.cached = null;
  }

  /** The integration as stored; callers get their own copy (they may spread and change it). */
  async get(): Promise<DeskIntegration> {
    if (this.uncommitted) return this.read();
    if (!this.cached) {
      const reading = this.read();
      this.cached = reading;
      reading.catch(() => {
        if (this.cached === reading) this.cached = null;
      });
    }
    return copyOf(await this.cached);
  }

  private async read(): Promise<DeskIntegration> {
    const stored = await readJsonSetting<Partial<DeskIntegration>>(this.db, KEY);
    if (!stored) return { ...DEFAULT_DESK_INTEGRATION };
    // Values stored before a field existed take its default (the offer's destination came later).
    return { ...DEFAULT_DESK_INTEGRATION, ...stored, offerPerson: { ...DEFAULT_OFFER_PERSON, ...stored.offerPerson } };
  }

  put(integration: Omit<DeskIntegration, 'offerPerson'> & { offerPerson?: OfferPersonInput }): Promise<DeskIntegration> {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    return this.db.transaction(async () => {
      const value: DeskIntegration = {
        subject: integration.subject,
        tags: integration.tags,
        enabled: integration.enabled,
        offerPerson: integration.offerPerson ? OfferPerson.parse(integration.offerPerson) : (await this.get()).offerPerson,
      };
      this.forget();
      this.uncommitted = true;
      await writeJsonSetting(this.db, KEY, value);
      await this.changes.record('integration', DESK_INTEGRATION_ID, 'put', value);
      this.db.afterCommit(() => {
        this.uncommitted = false;
        this.forget();
        for (const listener of this.changeListeners) listener();
      });
      return value;
    });
  }
}

function copyOf(integration: DeskIntegration): DeskIntegration {
  return { ...integration, tags: [...integration.tags], offerPerson: { ...integration.offerPerson } };
}
