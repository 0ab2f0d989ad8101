import { expect, test } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en.ts';
import { es } from '../../apps/web/src/i18n/es.ts';
import { ptBR } from '../../apps/web/src/i18n/pt-BR.ts';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';

test('an invited agent opens the link, chooses a password, is signed in, and signs in with it later', async ({ browser, page }) => {
  await signIn(page, ADMIN);
  const email = `invited-${Date.now()}@desk.local`;
  const created = await page.request.post('/api/agents', { data: { name: 'Ivo Invited', email } });
  expect(created.status()).toBe(201);
  const { setPasswordUrl } = (await created.json()) as { setPasswordUrl: string };
  const link = `/set-password${setPasswordUrl.slice(setPasswordUrl.indexOf('#'))}`;

  const invitedContext = await browser.newContext();
  const invited = await invitedContext.newPage();
  await invited.goto(link);
  await expect(invited.getByRole('heading', { name: en['setPassword.title'] })).toBeVisible();
  // The secret leaves the address bar.
  expect(invited.url()).not.toContain('token=');

  await invited.getByLabel(en['setPassword.password'], { exact: true }).fill('short');
  await invited.getByRole('button', { name: en['setPassword.submit'] }).click();
  await expect(invited.getByText(en['setPassword.tooShort'].replace('{min}', '8'))).toBeVisible();
  await invited.getByLabel(en['setPassword.password'], { exact: true }).fill('ivo chose this');
  await invited.getByLabel(en['setPassword.confirm'], { exact: true }).fill('ivo chose that');
  await invited.getByRole('button', { name: en['setPassword.submit'] }).click();
  await expect(invited.getByText(en['setPassword.mismatch'])).toBeVisible();
  await invited.getByLabel(en['setPassword.confirm'], { exact: true }).fill('ivo chose this');
  await invited.getByRole('button', { name: en['setPassword.submit'] }).click();
  await expect(invited.getByRole('navigation', { name: en['nav.label'] })).toBeVisible();
  await expect(invited).toHaveURL(/\/tickets/);

  // First sign-in with the new password, on another device.
  const laterContext = await browser.newContext();
  await signIn(await laterContext.newPage(), { email, password: 'ivo chose this' });

  // The link worked once: opened again, it says so and leads to sign-in.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await expect(again.getByRole('alert')).toHaveText(en['setPassword.used']);
  await again.getByRole('link', { name: en['setPassword.toLogin'] }).click();
  await expect(again).toHaveURL(/\/login/);
  await Promise.all([invitedContext.close(), laterContext.close(), again.context().close()]);
});

for (const [locale, ui] of [['pt-BR', ptBR], ['es-ES', es], ['en-US', en]] as const) {
  test(`a link that is not valid is shown clearly (${locale})`, async ({ browser }) => {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto('/set-password#token=not-a-real-token-at-all');
    await expect(page.getByRole('heading', { name: ui['setPassword.title'] })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText(ui['setPassword.invalid']);
    await expect(page.getByRole('textbox')).toHaveCount(0);
    await context.close();
  });
}
