import { expect, test } from '@playwright/test';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';

type DeskIntegration = { subject: string; tags: string[] };

test('the integration settings are asked again when the window regains focus and when the network comes back', async ({ page, context }) => {
  await signIn(page, ADMIN);
  const original = ((await (await page.request.get('/api/integrations/desk')).json()) as { integration: DeskIntegration }).integration;
  const id = Date.now().toString(36);
  // Another admin changes the Desk card while this page shows it.
  const changeElsewhere = async (subject: string) => {
    const res = await page.request.put('/api/integrations/desk', { data: { ...original, subject } });
    expect(res.status()).toBe(200);
  };
  try {
    await page.goto('/integrations');
    const card = page.getByRole('region', { name: 'Desk', exact: true });
    await expect(card.getByText(original.subject, { exact: true })).toBeVisible();

    await changeElsewhere(`Focus ${id}`);
    // The agent comes back to this window.
    await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
    await expect(card.getByText(`Focus ${id}`, { exact: true })).toBeVisible();

    await context.setOffline(true);
    await changeElsewhere(`Reconnect ${id}`);
    await context.setOffline(false);
    await expect(card.getByText(`Reconnect ${id}`, { exact: true })).toBeVisible();
  } finally {
    await page.request.put('/api/integrations/desk', { data: original });
  }
});
