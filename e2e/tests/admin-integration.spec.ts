import { expect, test } from '@playwright/test';
import { ticketsOf, uniqueName, webchatVisitor } from '../support/admin.ts';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';

test("the Desk integration's subject and tags are on the next ticket", async ({ page }) => {
  await signIn(page, ADMIN);
  const original = ((await (await page.request.get('/api/integrations/desk')).json()) as { integration: { subject: string; tags: string[] } }).integration;
  const id = Date.now().toString(36);
  const subject = `Acme Care ${id}`;
  try {
    await page.goto('/integrations');
    const card = page.getByRole('region', { name: 'Desk', exact: true });
    await expect(card.getByText('Connected', { exact: true })).toBeVisible();
    await card.getByRole('button', { name: 'Edit the Desk integration' }).click();
    await expect(card.getByLabel('Subject')).toHaveValue(original.subject);
    await card.getByLabel('Subject').fill('');
    await expect(card.getByText('Fill in this field.')).toBeVisible();
    await card.getByLabel('Subject').fill(subject);
    await card.getByLabel('Tags').fill(`vip-${id}, e2e/bad`);
    await expect(card.getByText(/letters, digits/)).toBeVisible();
    await card.getByLabel('Tags').fill(`vip-${id}, E2E`);
    await card.getByRole('button', { name: 'Save and connect' }).click();
    await expect(card.getByText('Saved. The Desk is connected to the bot.')).toBeVisible();
    await expect(card.getByText('Connected', { exact: true })).toBeVisible();
    await expect(card.getByText(subject)).toBeVisible();
    await expect(card.getByRole('list', { name: 'Tags' }).getByRole('listitem')).toHaveText([`vip-${id}`, 'e2e']);

    const visitor = webchatVisitor(page.request, uniqueName('Iris Tag'));
    await visitor.say('I want to talk to an agent');
    await expect
      .poll(async () => (await ticketsOf(page.request, visitor.name)).map((t) => [t.subject, t.tags]))
      .toEqual([[`${subject} — Talk to a person`, [`vip-${id}`, 'e2e']]]);
  } finally {
    // Other specs share this server: put the demo integration back.
    await page.request.put('/api/integrations/desk', { data: { ...original, enabled: true } });
  }
});
