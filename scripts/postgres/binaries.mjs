// Where the PostgreSQL server binaries (initdb, postgres, createdb) are, version 15 or later.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const MIN_VERSION = 15;

/** PG_BIN if set, else Debian's newest /usr/lib/postgresql/<version>/bin from 15 on; null when none. */
export function findPostgresBin(env = process.env) {
  if (env.PG_BIN) return existsSync(join(env.PG_BIN, 'initdb')) ? env.PG_BIN : null;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .map(Number)
    .filter((version) => Number.isInteger(version) && version >= MIN_VERSION)
    .sort((a, b) => b - a);
  for (const version of versions) {
    const bin = join(base, String(version), 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) return bin;
  }
  return null;
}
