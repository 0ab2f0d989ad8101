import { expect, test } from '@playwright/test';
import { contactsNamed, uniqueName, uniquePhone } from '../support/admin.ts';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';

test('a user without the international prefix is refused; with it, stored as E.164', async ({ page }) => {
  const name = uniqueName('Marta Lima');
  const phone = uniquePhone();
  await signIn(page, ADMIN);
  await page.goto('/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Name').fill(name);

  // Checked as the admin types, with the shared schema.
  const phoneField = dialog.getByLabel('Phone');
  await phoneField.fill(phone.national);
  await expect(dialog.getByText(/add the country code/i)).toBeVisible();
  await expect(phoneField).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeVisible();
  await expect(phoneField).toBeFocused();
  await expect(dialog.getByLabel('Name')).toHaveValue(name);
  expect(await contactsNamed(page.request, name)).toHaveLength(0);

  await phoneField.fill(phone.typed);
  await expect(dialog.getByText(/add the country code/i)).toHaveCount(0);
  await expect(dialog.getByText(`Saved as ${phone.e164}.`)).toBeVisible();
  await dialog.getByLabel('E-mail').fill('not-an-email');
  await expect(dialog.getByText('Enter a valid e-mail address.')).toBeVisible();
  await dialog.getByLabel('E-mail').fill(`marta.${Date.now()}@example.com`);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `${name} saved.` })).toBeVisible();

  // Stored on the server as E.164, and listed with the phone formatted.
  const [stored] = await contactsNamed(page.request, name);
  expect(stored?.phone).toBe(phone.e164);
  await page.getByLabel('Search users').fill(name);
  const row = page.getByRole('listitem').filter({ has: page.getByRole('button', { name }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(phone.typed.replace('-', ' '));

  // Edit: the change goes through the sync mutation and reaches the server.
  await row.getByRole('button', { name }).click();
  const edit = page.getByRole('dialog', { name: 'Edit user' });
  await expect(edit.getByLabel('Name')).toHaveValue(name);
  await edit.getByLabel('Name').fill(`${name} Jr`);
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect.poll(async () => (await contactsNamed(page.request, `${name} Jr`)).length).toBe(1);

  // Delete, after a confirmation that says the tickets stay.
  await page.getByLabel('Search users').fill(`${name} Jr`);
  await page.getByRole('button', { name: `${name} Jr` }).click();
  await page.getByRole('dialog', { name: 'Edit user' }).getByRole('button', { name: 'Delete user' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete this user?' });
  await expect(confirm).toContainText('They have no tickets.');
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'deleted' })).toBeVisible();
  await expect.poll(async () => (await contactsNamed(page.request, `${name} Jr`)).length).toBe(0);
  await expect(page.getByRole('button', { name: `${name} Jr` })).toHaveCount(0);
});

test('the new-user form works on a 375 px phone', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page, ADMIN);
  await page.goto('/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await expect(dialog.getByLabel('Designated agent')).toBeVisible();
  const box = await dialog.boundingBox();
  expect(box?.width ?? 999).toBeLessThanOrEqual(375);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(375);
});
