import { expect, test } from '@playwright/test';
import { uniqueName } from '../support/admin.ts';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';
import { settled } from '../support/workspace.ts';

test('an admin made an agent loses the admin pages at once, without signing in again', async ({ page, browser }) => {
  await signIn(page, ADMIN);
  const name = uniqueName('Rita Role');
  const email = `rita.${Date.now()}@desk.local`;
  const created = await page.request.post('/api/agents', { data: { name, email, role: 'admin', password: 'rita-initial-pass' } });
  expect(created.status()).toBe(201);
  const { agent } = (await created.json()) as { agent: { id: string } };

  const context = await browser.newContext();
  try {
    const rita = await context.newPage();
    await signIn(rita, { email, password: 'rita-initial-pass' });
    const nav = rita.getByRole('navigation', { name: /main/i });
    await expect(nav.getByRole('link', { name: 'Team', exact: true })).toBeVisible();
    await settled(rita);

    const demoted = await page.request.patch(`/api/agents/${agent.id}`, { data: { role: 'agent' } });
    expect(demoted.status()).toBe(200);

    // The stream carries the change of her own row: the navigation follows the new role.
    await expect(nav.getByRole('link', { name: 'Team', exact: true })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Integrations', exact: true })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Tickets', exact: true })).toBeVisible();
  } finally {
    await context.close();
  }
});
