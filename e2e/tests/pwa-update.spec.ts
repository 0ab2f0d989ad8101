import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';

/** The server serves the built PWA from this folder, reading sw.js on each request. */
const swFile = fileURLToPath(new URL('../../apps/web/dist/sw.js', import.meta.url));

test('a new deployment is offered with "Reload" and takes over when accepted', async ({ page }) => {
  await signIn(page, ADMIN);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toMatch(/\/sw\.js$/);
  const firstWorker = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
  expect(firstWorker).toBeTruthy();

  const original = readFileSync(swFile, 'utf8');
  try {
    // "Deploy" a new version: any byte change makes the browser install a new worker.
    writeFileSync(swFile, `${original}\n// deployed ${Date.now()}\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
    const prompt = page.getByRole('status').filter({ hasText: 'A new version is available.' });
    await expect(prompt).toBeVisible({ timeout: 15_000 });
    const reloaded = page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    // The page is now controlled by the new worker and no update is waiting any more.
    await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
    await expect(page.getByText('A new version is available.')).toHaveCount(0);
  } finally {
    writeFileSync(swFile, original);
  }
});
