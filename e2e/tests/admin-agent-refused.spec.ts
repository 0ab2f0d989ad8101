import { expect, test } from '@playwright/test';
import { agentNamed, uniqueName, uniquePhone } from '../support/admin.ts';
import { AGENT } from '../support/env.ts';
import { signIn } from '../support/session.ts';

test('an agent may read users and intents but every admin action is hidden and refused', async ({ page }) => {
  await signIn(page, AGENT);
  const nav = page.getByRole('navigation', { name: /main/i });

  // Users: the list, read-only details, no create/edit/delete controls.
  await page.goto('/users');
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New user' })).toHaveCount(0);
  const firstUser = page.getByRole('listitem').getByRole('button').first();
  await firstUser.click();
  const details = page.getByRole('dialog', { name: 'User' });
  await expect(details).toBeVisible();
  await expect(details.getByRole('textbox')).toHaveCount(0);
  await expect(details.getByRole('button', { name: /save|delete/i })).toHaveCount(0);
  await details.getByRole('button', { name: 'Close' }).click();

  // Intents: the list and a read-only editor.
  await nav.getByRole('link', { name: 'Intents', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Intents' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New intent' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Greeting', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Intent' })).toBeVisible();
  await expect(page.getByLabel('Name')).toBeDisabled();
  await expect(page.getByRole('switch', { name: 'Hand off to the Desk' })).toBeDisabled();
  await expect(page.getByRole('button', { name: /save|delete|add phrase|remove/i })).toHaveCount(0);

  // Team and Integrations are not offered, and not allowed by address either.
  await expect(nav.getByRole('link', { name: 'Team', exact: true })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Integrations', exact: true })).toHaveCount(0);
  await page.goto('/integrations');
  await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();

  // The API refuses every admin action with 403.
  const api = page.request;
  const contacts = (await (await api.get('/api/contacts?limit=1')).json()) as { contacts: { id: string }[] };
  const intents = (await (await api.get('/api/intents')).json()) as { intents: { id: string }[] };
  const contactId = contacts.contacts[0]?.id ?? 'none';
  const intentId = intents.intents[0]?.id ?? 'none';
  const ana = await agentNamed(api, AGENT.name);
  const intent = { name: uniqueName('Sneaky'), phrases: ['sneaky phrase'] };
  const attempts = [
    api.post('/api/contacts', { data: { name: uniqueName('Sneaky'), phone: uniquePhone().typed } }),
    api.patch(`/api/contacts/${contactId}`, { data: { name: 'Renamed' } }),
    api.delete(`/api/contacts/${contactId}`),
    api.post('/api/intents', { data: intent }),
    api.patch(`/api/intents/${intentId}`, { data: { name: 'Renamed' } }),
    api.delete(`/api/intents/${intentId}`),
    api.put('/api/integrations/desk', { data: { subject: 'Hijacked', tags: [] } }),
    api.post('/api/agents', { data: { name: 'Mallory', email: `mallory.${Date.now()}@desk.local`, role: 'admin', password: 'sneaky-pass' } }),
    api.patch(`/api/agents/${ana.id}`, { data: { role: 'admin' } }),
  ];
  for (const response of await Promise.all(attempts)) {
    expect(response.status(), response.url()).toBe(403);
  }
  // Still readable.
  expect((await api.get(`/api/contacts/${contactId}`)).status()).toBe(200);
  expect((await api.post('/api/intents/try', { data: { text: 'hello' } })).status()).toBe(200);
});
