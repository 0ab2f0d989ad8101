import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The platforms' own payloads live in shared/ beside the repository (locally /work/shared, in CI a
 * copy beside the fresh clone). From apps/server/test/support/ that is five levels up.
 */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../../../shared/fixtures/channels/', import.meta.url));

if (!existsSync(FIXTURES_DIR)) throw new Error(`Channel fixtures not found at ${FIXTURES_DIR} (shared/ must sit beside the repository).`);

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** Keys starting with `_` are the fixture authors' annotations: never part of a body. */
export function stripAnnotations<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripAnnotations) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !key.startsWith('_'))
      .map(([key, v]) => [key, stripAnnotations(v)]),
  ) as T;
}

export interface Fixture<T = Record<string, unknown>> {
  name: string;
  /** The file's exact bytes as text. */
  raw: string;
  /** Parsed, annotations stripped: what a platform would send. */
  body: T;
  /** The annotations (`_http`, `_note`, …). */
  annotations: Record<string, unknown>;
}

export function loadFixture<T = Record<string, unknown>>(name: string): Fixture<T> {
  const raw = readFileSync(`${FIXTURES_DIR}${name}`, 'utf8');
  const parsed = JSON.parse(raw) as Record<string, unknown>;
  const annotations = Object.fromEntries(Object.entries(parsed).filter(([key]) => key.startsWith('_')));
  return { name, raw, body: stripAnnotations(parsed) as T, annotations };
}

/** Top-level keys of a request body the platform documents, for comparing with what Desk sends. */
export function documentedKeys(name: string): string[] {
  return Object.keys(loadFixture(name).body).sort();
}

/** A platform payload, inspected and edited freely by the tests. */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are the platforms' free-form JSON
export type Json = Record<string, any>;
