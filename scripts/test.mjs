// `npm test`: install what the tests need, then type-check, lint, unit/integration tests and browser tests.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from './ensure-chromium.mjs';
import { ensurePostgres } from './ensure-postgres.mjs';
import { build, install, pnpm, root, step } from './lib.mjs';

const bin = (name) => join(root, 'node_modules/.bin', name);
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });

install();
ensureChromium();
// The server tests start a throwaway PostgreSQL cluster (apps/server/test/support/postgres-global-setup.ts).
ensurePostgres();
process.env.DESK_REQUIRE_POSTGRES = '1';

const packages = ['packages/core', 'apps/server', 'apps/web', 'apps/widget', 'e2e'].filter((dir) => existsSync(join(root, dir, 'tsconfig.json')));
for (const dir of packages) step(`Type-check ${dir}`, bin('tsc'), ['--noEmit', '-p', join(dir, 'tsconfig.json')]);
step('Lint (Biome)', bin('biome'), ['lint', '.']);

// Built first: the server's tests check that the production build finds the PWA and the widget.
build();
const vitestReport = join(tmp, 'vitest.json');
rmSync(vitestReport, { force: true });
const unitOk = step('Unit and integration tests (Vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`], {
  allowFailure: true,
});

const e2eReport = join(tmp, 'playwright.json');
rmSync(e2eReport, { force: true });
const e2eOk = pnpm('Browser tests (Playwright, headless Chromium)', ['--filter', '@desk/e2e', 'exec', 'playwright', 'test'], { allowFailure: true });
// The conversation stories again on two instances sharing a throwaway PostgreSQL cluster.
const e2ePostgresReport = join(tmp, 'playwright-postgres.json');
rmSync(e2ePostgresReport, { force: true });
const e2ePostgresOk = pnpm(
  'Browser tests on two instances and PostgreSQL (Playwright)',
  ['--filter', '@desk/e2e', 'exec', 'playwright', 'test', '-c', 'playwright.postgres.config.ts'],
  { allowFailure: true },
);

function counts(file, read) {
  try {
    return read(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return { passed: 0, failed: 1 };
  }
}
const unit = counts(vitestReport, (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests }));
const playwrightCounts = (r) => ({ passed: r.stats.expected, failed: r.stats.unexpected + (r.stats.flaky ?? 0) });
const e2e = counts(e2eReport, playwrightCounts);
const e2ePostgres = counts(e2ePostgresReport, playwrightCounts);
const passed = unit.passed + e2e.passed + e2ePostgres.passed;
// A runner that crashed reports no failed test: count it as one so the closing line never lies.
const crashed = (!unitOk && unit.failed === 0 ? 1 : 0) + (!e2eOk && e2e.failed === 0 ? 1 : 0) + (!e2ePostgresOk && e2ePostgres.failed === 0 ? 1 : 0);
const failed = unit.failed + e2e.failed + e2ePostgres.failed + crashed;
console.log(
  `\nVitest: ${unit.passed} passed, ${unit.failed} failed; Playwright: ${e2e.passed} passed, ${e2e.failed} failed; ` +
    `Playwright on two instances and PostgreSQL: ${e2ePostgres.passed} passed, ${e2ePostgres.failed} failed`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
