import { expect, type Page, test } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en.ts';
import { STRINGS } from '../../apps/widget/src/i18n.ts';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';
import { handOff } from '../support/workspace.ts';

/**
 * Collects every Content-Security-Policy violation any page of this test reports. The list lives in the
 * test, not the page, so a violation on a page the test has already left still counts.
 */
async function watchViolations(page: Page): Promise<() => string[]> {
  const seen: string[] = [];
  await page.exposeBinding('__reportCspViolation', (_source, violation: string) => {
    seen.push(violation);
  });
  await page.addInitScript(() => {
    const report = (window as unknown as { __reportCspViolation: (v: string) => void }).__reportCspViolation;
    document.addEventListener('securitypolicyviolation', (event) => report(`${location.pathname}: ${event.violatedDirective} ${event.blockedURI}`));
  });
  return () => [...seen];
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
  expect(violations()).toEqual([]);
});

test('/demo (with the widget) and /api/docs work under their CSP', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/demo?lang=en');
  await page.getByRole('button', { name: STRINGS.en.openChat }).click();
  await expect(page.getByRole('dialog', { name: STRINGS.en.title })).toBeVisible();
  expect(violations()).toEqual([]);

  await page.goto('/api/docs');
  await expect(page.getByText('Desk API').first()).toBeVisible();
  await expect(page.getByText('/api/auth/login').first()).toBeVisible();
  expect(violations()).toEqual([]);
});
