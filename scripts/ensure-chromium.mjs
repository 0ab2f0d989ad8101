// Browser tests use Debian's Chromium (Playwright's own download can't be fetched here).
import { existsSync } from 'node:fs';
import { step } from './lib.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM)) {
    console.log(`\n✔ Chromium found at ${CHROMIUM}`);
    return;
  }
  if (process.getuid?.() !== 0) {
    console.error(
      `\n✖ Chromium is missing at ${CHROMIUM}. Install Debian's package as root: apt-get install -y chromium\n` +
        '  (or point CHROMIUM_PATH at a Chromium binary), then run npm test again.',
    );
    process.exit(1);
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  step('Refresh the apt package lists', 'apt-get', ['update', '-qq'], { env });
  step("Install Debian's Chromium", 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-liberation'], { env });
}
