import { type Browser, expect, type Page, test } from '@playwright/test';
import { uniqueName } from '../support/admin.ts';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';

async function trySignIn(browser: Browser, email: string, password: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return { page, close: () => context.close() };
}

test('a deactivated agent cannot sign in and leaves the assignment pickers', async ({ page, browser }) => {
  const name = uniqueName('Dora Agent');
  const email = `dora.${Date.now()}@desk.local`;
  const password = 'dora-initial-pass';
  await signIn(page, ADMIN);
  await page.goto('/team');

  // Create with an initial password.
  await page.getByRole('button', { name: 'New agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('E-mail').fill(email);
  await dialog.getByLabel('Set an initial password').check();
  await dialog.getByLabel('Initial password', { exact: true }).fill('short');
  await expect(dialog.getByText('Use at least 8 characters.')).toBeVisible();
  await dialog.getByLabel('Initial password', { exact: true }).fill(password);
  await dialog.getByRole('button', { name: 'Create agent' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('listitem').filter({ hasText: email });
  await expect(row).toContainText('Active');

  const first = await trySignIn(browser, email, password);
  await expect(first.page.getByRole('navigation', { name: /main/i })).toBeVisible();
  await first.close();

  // They are offered as a designated agent and as an intent's agent.
  await page.goto('/users?user=new');
  await expect(page.getByRole('dialog', { name: 'New user' }).getByLabel('Designated agent').getByRole('option', { name })).toHaveCount(1);
  await page.goto('/team');

  await row.getByRole('button', { name: `Deactivate ${name}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Deactivate this agent?' });
  await expect(confirm).toContainText(`${name} won't be able to sign in`);
  await confirm.getByRole('button', { name: 'Deactivate' }).click();
  await expect(row).toContainText('Deactivated');
  await expect(row.getByRole('button', { name: `Reactivate ${name}` })).toBeVisible();

  const refused = await trySignIn(browser, email, password);
  await expect(refused.page.getByRole('alert')).not.toBeEmpty();
  await expect(refused.page).toHaveURL(/\/login/);
  await refused.close();

  await page.goto('/users?user=new');
  const picker = page.getByRole('dialog', { name: 'New user' }).getByLabel('Designated agent');
  await expect(picker.getByRole('option', { name: 'Ana Souza' })).toHaveCount(1);
  await expect(picker.getByRole('option', { name })).toHaveCount(0);
  await page.goto('/intents?intent=new');
  await page.getByRole('switch', { name: 'Hand off to the Desk' }).check();
  await expect(page.getByLabel('Agent', { exact: true }).getByRole('option', { name })).toHaveCount(0);
});

test('an invited agent gets a one-time link to copy', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const name = uniqueName('Ivo Invite');
  await signIn(page, ADMIN);
  await page.goto('/team');
  await page.getByRole('button', { name: 'New agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('E-mail').fill(`ivo.${Date.now()}@desk.local`);
  await dialog.getByLabel('Role').selectOption({ label: 'Admin' });
  await expect(dialog.getByLabel('Send a one-time link to set a password')).toBeChecked();
  await dialog.getByRole('button', { name: 'Create agent' }).click();
  const link = dialog.getByLabel('Set-password link');
  await expect(link).toHaveValue(/\/set-password#token=/);
  await dialog.getByRole('button', { name: 'Copy link' }).click();
  await expect(dialog.getByText('Link copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await link.inputValue());
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: name })).toContainText('Admin');
});

test.describe('the last admin', () => {
  // The service worker would answer the page's requests itself, out of page.route's reach.
  test.use({ serviceWorkers: 'block' });

  test('the last active admin refusal is shown', async ({ page }) => {
    await signIn(page, ADMIN);
    // Only the last active admin can't be removed; the demo has two and the other specs share them,
    // so the server's refusal is played here, as the real server words it, on an admin of our own.
    const name = uniqueName('Lia Admin');
    const created = await page.request.post('/api/agents', {
      data: { name, email: `lia.${Date.now()}@desk.local`, role: 'admin', password: 'lia-initial-pass' },
    });
    expect(created.status()).toBe(201);
    await page.route('**/api/agents/*', (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 409,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'conflict', message: 'The last active admin cannot be removed or demoted.' } }),
          })
        : route.continue(),
    );
    await page.goto('/team');
    const row = page.getByRole('listitem').filter({ hasText: name });
    await row.getByRole('button', { name: `Deactivate ${name}` }).click();
    await page.getByRole('dialog', { name: 'Deactivate this agent?' }).getByRole('button', { name: 'Deactivate' }).click();
    await expect(page.getByRole('alert').filter({ hasText: "The last active admin can't be deactivated or made an agent." })).toBeVisible();
    await expect(row).toContainText('Active');
  });
});
