import { expect, test } from '@playwright/test';
import { ADMIN, AGENT } from '../support/env.ts';
import { signIn } from '../support/session.ts';

const ALL_NAV = ['Tickets', 'Users', 'Intents', 'Integrations', 'Team', 'Settings'];

test('the demo admin signs in and sees the whole shell', async ({ page }) => {
  await signIn(page, ADMIN);
  const nav = page.getByRole('navigation', { name: /main/i });
  for (const item of ALL_NAV) await expect(nav.getByRole('link', { name: item, exact: true })).toBeVisible();
  await nav.getByRole('link', { name: 'Team', exact: true }).click();
  await expect(page).toHaveURL(/\/team$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong e-mail or password');
  await expect(page).toHaveURL(/\/login/);
});

test('an agent sees no admin navigation and gets 403 from an admin route', async ({ page }) => {
  await signIn(page, AGENT);
  const nav = page.getByRole('navigation', { name: /main/i });
  await expect(nav.getByRole('link', { name: 'Tickets', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Team', exact: true })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Integrations', exact: true })).toHaveCount(0);
  // The session cookie the PWA holds is what the API checks.
  const res = await page.request.post('/api/agents', { data: { name: 'Mallory', email: 'mallory@desk.local', password: 'sneaky-pass' } });
  expect(res.status()).toBe(403);
  expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  await page.goto('/team');
  await expect(page.getByText(/not allowed/i)).toBeVisible();
});

test('with the network cut, a reload still shows the shell from the service worker', async ({ page, context }) => {
  await signIn(page, ADMIN);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first load installs the worker; it takes control of this page (clientsClaim).
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await context.setOffline(true);
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  await expect(page.getByRole('navigation', { name: /main/i }).getByRole('link', { name: 'Tickets', exact: true })).toBeVisible();
  await context.setOffline(false);
});

test('the web app manifest is served and installable', async ({ page, request }) => {
  await page.goto('/login');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const res = await request.get(new URL(href as string, page.url()).toString());
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/application\/manifest\+json/);
  const manifest = (await res.json()) as {
    name: string;
    short_name: string;
    display: string;
    start_url: string;
    scope: string;
    theme_color: string;
    background_color: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(manifest).toMatchObject({ name: 'Desk', short_name: 'Desk', display: 'standalone', start_url: '/', scope: '/' });
  expect(manifest.theme_color).toMatch(/^#/);
  expect(manifest.background_color).toMatch(/^#/);
  const sizes = manifest.icons.map((icon) => icon.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(manifest.icons.some((icon) => icon.purpose?.includes('maskable'))).toBe(true);
  for (const icon of manifest.icons) {
    const image = await request.get(new URL(icon.src, res.url()).toString());
    expect(image.status()).toBe(200);
    expect(image.headers()['content-type']).toBe('image/png');
  }
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveCount(1);
  const sw = await request.get('/sw.js');
  expect(sw.status()).toBe(200);
  expect(sw.headers()['cache-control']).toBe('no-cache');
});

test('the shell works at 375 px and speaks the browser language', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'pt-BR' });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Senha').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page.getByRole('link', { name: 'Usuários', exact: true }).first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});

test('the language can be switched in Settings and is remembered', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto('/settings');
  await page.getByLabel('Language', { exact: true }).selectOption('es');
  const nav = page.getByRole('navigation', { name: 'Principal' });
  await expect(nav.getByRole('link', { name: 'Equipo', exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await page.reload();
  await expect(nav.getByRole('link', { name: 'Usuarios', exact: true })).toBeVisible();
  await page.getByLabel('Idioma', { exact: true }).selectOption('en');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team', exact: true })).toBeVisible();
});
