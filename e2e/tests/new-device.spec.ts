import { expect, test } from '@playwright/test';
import { AGENT } from '../support/env.ts';
import { type LargeServer, startLargeServer } from '../support/large-server.ts';
import { signIn } from '../support/session.ts';

/** Marks (page clock) when the login form is sent and when the first ticket row is on screen. */
const PROBE = `
  globalThis.__newDevice = { signIn: null, firstRow: null };
  document.addEventListener('submit', () => { globalThis.__newDevice.signIn ??= performance.now(); }, true);
  new MutationObserver(() => {
    if (globalThis.__newDevice.firstRow === null && document.querySelector('.ticket-row')) globalThis.__newDevice.firstRow = performance.now();
  }).observe(document, { subtree: true, childList: true });
`;

let server: LargeServer;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  server = await startLargeServer(10_000, 10);
});
test.afterAll(async () => {
  await server?.stop();
});

test('a new device on a server with 10,000 tickets and 100,000 messages shows the list within 1.5 s, and a ticket opened early shows its messages', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL: server.url });
  await context.addInitScript({ content: PROBE });
  const page = await context.newPage();
  await signIn(page, AGENT);
  await expect(page.locator('.ticket-row').first()).toBeVisible();
  const marks = await page.evaluate(() => (window as unknown as { __newDevice: { signIn: number; firstRow: number } }).__newDevice);
  const firstPage = marks.firstRow - marks.signIn;
  test.info().annotations.push({ type: 'first list page after sign-in', description: `${firstPage.toFixed(0)} ms` });
  expect(firstPage).toBeLessThanOrEqual(1500);

  // The oldest ticket's messages come last in the background download: opening it fetches them at once.
  const fetched = page.waitForRequest((request) => request.url().includes('/api/sync/snapshot') && request.url().includes(`ticketId=${server.oldestTicketId}`));
  await page.evaluate((id) => {
    history.pushState(null, '', `/tickets?ticket=${id}`);
    dispatchEvent(new PopStateEvent('popstate'));
  }, server.oldestTicketId);
  await fetched;
  const conversation = page.getByRole('article');
  await expect(conversation.getByText('Message 1 of ticket 1:', { exact: false })).toBeVisible({ timeout: 10_000 });
  await expect(conversation.getByText('Message 10 of ticket 1:', { exact: false })).toBeVisible();
  await context.close();
});
