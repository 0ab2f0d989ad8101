import { DEFAULT_OFFER_PERSON, type DeskIntegration, OfferPerson, type OfferPersonInput } from '@desk/core';
import type { Db } from '../db/database.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';
import { readJsonSetting, writeJsonSetting } from '../db/settings-store.ts';

const KEY = 'desk_integration';
/** The change feed's id for the one Desk integration. */
export const DESK_INTEGRATION_ID = 'desk';
export const DEFAULT_DESK_INTEGRATION: DeskIntegration = { subject: 'Desk', tags: ['desk'], enabled: true, offerPerson: DEFAULT_OFFER_PERSON };

/** The Desk integration lives in `settings` as one JSON value; absent means the defaults. */
export class DeskIntegrationRepo {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
  ) {}

  async get(): Promise<DeskIntegration> {
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
      await writeJsonSetting(this.db, KEY, value);
      await this.changes.record('integration', DESK_INTEGRATION_ID, 'put', value);
      return value;
    });
  }
}
