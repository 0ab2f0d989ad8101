// Server tests run against a throwaway PostgreSQL cluster too: make sure its binaries are here.
import { findPostgresBin, MIN_VERSION } from './postgres/binaries.mjs';
import { step } from './lib.mjs';

export function ensurePostgres() {
  // A cluster given from outside (DESK_TEST_DATABASE_URL) needs no local binaries.
  if (process.env.DESK_TEST_DATABASE_URL) {
    console.log('\n✔ PostgreSQL for tests: DESK_TEST_DATABASE_URL is set');
    return;
  }
  const found = findPostgresBin();
  if (found) {
    console.log(`\n✔ PostgreSQL binaries found at ${found}`);
    return;
  }
  if (process.getuid?.() !== 0) {
    console.error(
      `\n✖ PostgreSQL ${MIN_VERSION} or later is missing (no /usr/lib/postgresql/<version>/bin/initdb). Install Debian's package as root:\n` +
        '  apt-get install -y postgresql\n' +
        '  (or point PG_BIN at a directory holding initdb and postgres, or DESK_TEST_DATABASE_URL at a database), then run npm test again.',
    );
    process.exit(1);
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  step('Refresh the apt package lists', 'apt-get', ['update', '-qq'], { env });
  step("Install Debian's PostgreSQL", 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], { env });
  if (!findPostgresBin()) {
    console.error(`\n✖ apt-get installed postgresql but no PostgreSQL ${MIN_VERSION}+ binaries were found under /usr/lib/postgresql.`);
    process.exit(1);
  }
}
