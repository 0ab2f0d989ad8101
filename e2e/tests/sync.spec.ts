import { type Browser, expect, type Page, test } from '@playwright/test';
import { AGENT } from '../support/env.ts';
import { signIn } from '../support/session.ts';
import { handOff, visitorMessages } from '../support/workspace.ts';

const BRUNO = { email: 'bruno@desk.local', password: AGENT.password };

async function agentPage(browser: Browser, account: { email: string; password: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, account);
  await page.goto('/tickets');
  return { context, page };
}

const view = (page: Page) => page.getByRole('article');

/** The server's copy of everything this agent may see (a bootstrap pull). */
async function serverState(page: Page) {
  const res = await page.request.get('/api/sync/pull?cursor=0&limit=5000');
  expect(res.ok()).toBe(true);
  return (await res.json()) as { changes: { entity: string; id: string; data: Record<string, unknown> }[] };
}

test('offline actions survive a reload, sync exactly once, and reach the other agent live', async ({ browser }) => {
  const a = await agentPage(browser, AGENT);
  const b = await agentPage(browser, BRUNO);

  // An active web chat ticket this test owns, opened by both agents.
  const { visitorId, ticket } = await handOff(a.page, 'I need a human about my train ticket');
  const id = ticket.id;
  for (const who of [a, b]) {
    await who.page.goto(`/tickets?ticket=${id}`);
    await expect(who.page.getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
  }
  // The service worker must control A's page before it can reload offline.
  await a.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // Opening the ticket marked it read: let that sync before going offline.
  await expect(view(a.page)).toHaveAttribute('data-unread', 'false');
  await expect(a.page.getByRole('status', { name: 'Sync status' })).toHaveAttribute('data-waiting', '0');

  await a.context.setOffline(true);
  const status = String(ticket.status) === 'pending' ? 'on-hold' : 'pending';
  await view(a.page).getByLabel('Status', { exact: true }).selectOption(status);
  await view(a.page).getByLabel('Priority', { exact: true }).selectOption('urgent');
  await view(a.page).getByLabel('Assignee', { exact: true }).selectOption({ label: 'Ana Souza' });
  await a.page.getByLabel('New tag').fill('train');
  await a.page.getByRole('button', { name: 'Add tag' }).click();
  for (const text of ['First offline reply', 'Second offline reply']) {
    await a.page.getByLabel('Reply', { exact: true }).fill(text);
    await a.page.getByRole('button', { name: 'Send' }).click();
    await expect(view(a.page).getByText(text)).toBeVisible();
  }
  const indicator = a.page.getByRole('status', { name: 'Sync status' });
  await expect(indicator).toContainText('Offline');
  await expect(indicator).toContainText('6 changes waiting');

  await a.page.reload();
  await expect(view(a.page).getByText('Second offline reply')).toBeVisible();
  await expect(a.page.locator('.message[data-pending]')).toHaveCount(2);
  await expect(view(a.page).getByLabel('Priority', { exact: true })).toHaveValue('urgent');
  await expect(a.page.getByRole('listitem').filter({ hasText: 'train' }).first()).toBeVisible();
  await expect(indicator).toContainText('6 changes waiting');

  await a.context.setOffline(false);
  await expect(view(b.page).getByText('Second offline reply')).toBeVisible({ timeout: 1000 });
  await expect(view(b.page).getByLabel('Priority', { exact: true })).toHaveValue('urgent');
  await expect(view(b.page).getByLabel('Status', { exact: true })).toHaveValue(status);
  await expect(indicator).toHaveText('Online');

  const after = await serverState(b.page);
  const serverTicket = after.changes.find((c) => c.entity === 'ticket' && c.id === id)?.data;
  expect(serverTicket).toMatchObject({ status, priority: 'urgent', tags: expect.arrayContaining(['train']) });
  const replies = after.changes.filter((c) => c.entity === 'message' && String(c.data.text).endsWith('offline reply'));
  expect(replies.map((r) => r.data.text).sort()).toEqual(['First offline reply', 'Second offline reply']);

  // The user's channel (the web chat) got each reply once.
  const seen = (await visitorMessages(b.page, visitorId)).map((m) => m.text).filter((text) => String(text).endsWith('offline reply'));
  expect(seen.sort()).toEqual(['First offline reply', 'Second offline reply']);

  await a.context.close();
  await b.context.close();
});
