import { expect, type Page, test } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en.ts';
import { STRINGS } from '../../apps/widget/src/i18n.ts';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';
import { handOff } from '../support/workspace.ts';

/** Collects every Content-Security-Policy violation the page reports. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      w.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

test('the PWA works under its Content-Security-Policy: sign-in, tickets, a ticket, settings', async ({ page }) => {
  const violations = await watchViolations(page);
  const response = await page.goto('/login');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await signIn(page, ADMIN);
  await expect(page.getByRole('navigation', { name: en['nav.label'] })).toBeVisible();
  const { ticket } = await handOff(page);
  await page.goto(`/tickets?ticket=${ticket.id}`);
  await expect(page.getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // The service worker registered (worker-src 'self').
  await expect.poll(() => page.evaluate(async () => Boolean(await navigator.serviceWorker.getRegistration()))).toBe(true);
  expect(await violations()).toEqual([]);
});

test('/demo (with the widget) and /api/docs work under their CSP', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/demo?lang=en');
  await page.getByRole('button', { name: STRINGS.en.openChat }).click();
  await expect(page.getByRole('dialog', { name: STRINGS.en.title })).toBeVisible();
  expect(await violations()).toEqual([]);

  await page.goto('/api/docs');
  await expect(page.getByText('Desk API').first()).toBeVisible();
  await expect(page.getByText('/api/auth/login').first()).toBeVisible();
  expect(await violations()).toEqual([]);
});
