import { expect, test } from '@playwright/test';
import { AGENT } from '../support/env.ts';
import { type LargeServer, startLargeServer } from '../support/large-server.ts';
import { signIn } from '../support/session.ts';

let server: LargeServer;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  // 60 tickets with 2 messages each; the first 20 were solved 200 days ago (older than LOCAL_DAYS).
  server = await startLargeServer(60, 2, 20);
});
test.afterAll(async () => {
  await server?.stop();
});

test('a device drops old solved tickets, says so in Settings, and search finds them on the server and opens them', async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await signIn(page, AGENT);
  await expect(page.locator('.ticket-row').first()).toBeVisible();

  // Settings: the storage this device uses, and the old tickets it left on the server.
  await page.getByRole('link', { name: 'Settings' }).click();
  const storage = page.getByRole('region', { name: 'Storage on this device' });
  await expect(storage).toContainText(/used of .* this browser allows|does not say/);
  await expect(storage).toContainText('20 older solved tickets are only on the server', { timeout: 40_000 });

  // Searching for one of them: not on the device, found on the server, and said so.
  await page.getByRole('link', { name: 'Tickets' }).click();
  await page.getByLabel('Search tickets').fill('Seeded 3:');
  const onServer = page.getByRole('region', { name: 'On the server, not on this device' });
  const found = onServer.getByRole('link', { name: /Seeded 3: cannot finish/ });
  await expect(found).toBeVisible({ timeout: 15_000 });
  await found.click();
  const view = page.getByRole('article');
  await expect(view.getByText('Message 1 of ticket 3:', { exact: false })).toBeVisible({ timeout: 15_000 });
  await expect(view.getByText('Message 2 of ticket 3:', { exact: false })).toBeVisible();
  await context.close();
});
