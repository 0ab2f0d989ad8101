import { DEFAULT_OFFER_PERSON, type DeskIntegration } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';

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

  get(): DeskIntegration {
    const row = statement(this.db, 'SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
    return row ? { ...DEFAULT_DESK_INTEGRATION, ...(JSON.parse(row.value) as Partial<DeskIntegration>) } : { ...DEFAULT_DESK_INTEGRATION };
  }

  put(integration: Omit<DeskIntegration, 'offerPerson'> & { offerPerson?: DeskIntegration['offerPerson'] }): DeskIntegration {
    // The row and its change-log entry commit together (a savepoint inside a caller's transaction).
    return this.db.transaction(() => {
      const value: DeskIntegration = {
        subject: integration.subject,
        tags: integration.tags,
        enabled: integration.enabled,
        offerPerson: integration.offerPerson ?? this.get().offerPerson,
      };
      statement(
        this.db,
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ).run(KEY, JSON.stringify(value));
      this.changes.record('integration', DESK_INTEGRATION_ID, 'put', value);
      return value;
    })();
  }
}
