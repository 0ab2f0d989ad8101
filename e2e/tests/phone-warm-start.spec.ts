import { expect, type Page, test } from '@playwright/test';
import { AGENT } from '../support/env.ts';
import { PHONE } from '../support/phone.ts';
import { signIn } from '../support/session.ts';
import { handOff, sendText, settled } from '../support/workspace.ts';

/**
 * Issue 17: the installed app opened again draws the list's first page as it last was, before its
 * local database has even opened; the database's list takes over when it answers, and signing out
 * takes the drawn page away from the device.
 */
test.use(PHONE);
test.describe.configure({ timeout: 60_000 });

const rows = (page: Page) => page.locator('.ticket-row[data-ticket-id]');

/**
 * Every IndexedDB open waits until the test calls `__openStore()`: what the page shows meanwhile
 * cannot come from the local database. (The request handed out forwards to the real one once made.)
 */
async function holdLocalDatabase(page: Page) {
  await page.addInitScript(() => {
    const realOpen = IDBFactory.prototype.open;
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    (window as unknown as { __openStore(): void }).__openStore = () => release();
    IDBFactory.prototype.open = function (this: IDBFactory, ...args: [string, number?]) {
      const handlers: Record<string, unknown> = {};
      let real: IDBOpenDBRequest | undefined;
      const held = {} as Record<string, unknown>;
      for (const name of ['onsuccess', 'onerror', 'onupgradeneeded', 'onblocked']) {
        Object.defineProperty(held, name, {
          get: () => handlers[name],
          set: (handler) => {
            handlers[name] = handler;
            if (real) (real as unknown as Record<string, unknown>)[name] = handler;
          },
        });
      }
      for (const name of ['result', 'error', 'readyState', 'transaction', 'source']) Object.defineProperty(held, name, { get: () => (real as unknown as Record<string, unknown> | undefined)?.[name] });
      void gate.then(() => {
        real = realOpen.apply(this, args);
        for (const [name, handler] of Object.entries(handlers)) (real as unknown as Record<string, unknown>)[name] = handler;
      });
      return held as unknown as IDBOpenDBRequest;
    };
  });
}

test('the list drawn at start comes from the last session, the database takes over, and signing out forgets it', async ({ page }) => {
  await signIn(page, AGENT);
  const { ticket, visitorId } = await handOff(page);
  await sendText(page, visitorId, 'Where is my parcel? It was due on Monday');
  await page.goto('/tickets');
  await settled(page);
  const row = rows(page).filter({ hasText: `#${ticket.number}` });
  await expect(row).toContainText('Where is my parcel?');
  const shownBefore = await page.locator('.ticket-list .total').textContent();
  // The first page is kept a moment after it settles.
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).some((key) => key.startsWith('desk.agent.listSnapshot.')))).toBe(true);

  await holdLocalDatabase(page);
  await page.reload();
  // The database has not even opened: the row, its preview and the count are the last session's.
  await expect(row).toContainText('Where is my parcel?');
  await expect(row).toContainText(`#${ticket.number}`);
  await expect(page.locator('.ticket-list .total')).toHaveText(shownBefore ?? '');
  // Opened, the database's list takes over (its rows answer to the sync: the status indicator is up).
  await page.evaluate(() => (window as unknown as { __openStore(): void }).__openStore());
  await settled(page);
  await expect(row).toContainText('Where is my parcel?');
  await row.click();
  await expect(page.getByRole('article')).toContainText('Where is my parcel? It was due on Monday');
  await page.getByRole('button', { name: 'Back to the list' }).click();

  // Signed out, the device keeps no drawn list: signed in again, nothing shows before the database answers.
  await page.goto('/settings');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await signIn(page, AGENT);
  await page.goto('/tickets');
  await expect(page.getByTestId('ticket-scroll')).toBeVisible();
  await expect(rows(page)).toHaveCount(0);
  await page.evaluate(() => (window as unknown as { __openStore(): void }).__openStore());
  await expect(row).toContainText('Where is my parcel?');
});
