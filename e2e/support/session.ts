import { expect, type Page } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en.ts';

type LoginLabels = Record<'login.email' | 'login.password' | 'login.submit' | 'nav.label', string>;

/** Signs in through the login page, in the language the page speaks (English by default). */
export async function signIn(page: Page, account: { email: string; password: string }, ui: LoginLabels = en): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(ui['login.email'], { exact: true }).fill(account.email);
  await page.getByLabel(ui['login.password'], { exact: true }).fill(account.password);
  await page.getByRole('button', { name: ui['login.submit'], exact: true }).click();
  await expect(page.getByRole('navigation', { name: ui['nav.label'] })).toBeVisible();
}
