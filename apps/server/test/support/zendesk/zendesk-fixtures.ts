import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stripAnnotations } from '../channel-fixtures.ts';

/** Zendesk's and Sunshine's own bodies, beside the channel fixtures in shared/. */
export const ZENDESK_FIXTURES_DIR = fileURLToPath(new URL('../../../../../../shared/fixtures/zendesk/', import.meta.url));

if (!existsSync(ZENDESK_FIXTURES_DIR)) throw new Error(`Zendesk fixtures not found at ${ZENDESK_FIXTURES_DIR} (shared/ must sit beside the repository).`);

/** A fixture's body, annotations (`_source`, `_note`, `_http`) stripped. */
export function zendeskFixture<T = Record<string, unknown>>(name: string): T {
  return stripAnnotations(JSON.parse(readFileSync(`${ZENDESK_FIXTURES_DIR}${name}`, 'utf8')) as T);
}
