import { expect, test } from '@playwright/test';
import { uniqueName, uniquePhone } from '../support/admin.ts';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';

test('a duplicate phone is refused with a link to the user who has it', async ({ page }) => {
  const holder = uniqueName('Rita Alves');
  const phone = uniquePhone();
  await signIn(page, ADMIN);
  const created = await page.request.post('/api/contacts', { data: { name: holder, phone: phone.typed } });
  expect(created.status()).toBe(201);

  // The API refuses the same number however it is written.
  const again = await page.request.post('/api/contacts', { data: { name: uniqueName('Other'), phone: phone.e164 } });
  expect(again.status()).toBe(409);
  expect(await again.json()).toMatchObject({ error: { code: 'conflict', fields: { phone: expect.any(String) } } });

  await page.goto('/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  const typed = uniqueName('Rita Copy');
  await dialog.getByLabel('Name').fill(typed);
  await dialog.getByLabel('Phone').fill(phone.typed.replace('+55 11 ', '+55 (11) '));
  await expect(dialog.getByText(`This phone already belongs to ${holder}.`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Name')).toHaveValue(typed);

  await dialog.getByRole('link', { name: `Open ${holder}` }).click();
  const edit = page.getByRole('dialog', { name: 'Edit user' });
  await expect(edit.getByLabel('Name')).toHaveValue(holder);
  await expect(page).toHaveURL(/[?&]user=/);
});
