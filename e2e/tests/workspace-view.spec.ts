import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { AGENT } from '../support/env.ts';
import { signIn } from '../support/session.ts';
import { FILES, handOff, sendFile, sendText, settled, ticketView } from '../support/workspace.ts';

async function serverTicket(page: import('@playwright/test').Page, id: string) {
  const res = await page.request.get(`/api/tickets/${id}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { ticket: Record<string, unknown> }).ticket;
}

test('assign, status, priority and tags change the ticket, on screen and on the server', async ({ page }) => {
  await signIn(page, AGENT);
  const { ticket } = await handOff(page);
  await page.goto(`/tickets?ticket=${ticket.id}`);
  const view = ticketView(page);
  await expect(view.getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
  await expect(view.getByText('Unassigned: nobody is working on this ticket yet.')).toBeVisible();
  // Details: channel, intent that opened it, the user and the bot part of the conversation.
  await expect(view.getByRole('region', { name: 'Ticket details' })).toContainText('Web chat');
  await expect(view.getByRole('region', { name: 'Ticket details' })).toContainText('Talk to a person');
  await expect(view.getByRole('region', { name: 'With the bot, before the hand-off' })).toContainText('I need a human');
  await expect(view.getByText('Handed off to the Desk')).toBeVisible();

  await view.getByRole('button', { name: 'Assign to me' }).click();
  await expect(view.getByLabel('Assignee', { exact: true })).toHaveValue(/.+/);
  await expect(view.getByText('Unassigned: nobody is working on this ticket yet.')).toHaveCount(0);
  // "new" is never offered again once the ticket left it.
  await expect(view.getByLabel('Status', { exact: true }).locator('option[value="new"]')).toHaveCount(0);
  await view.getByLabel('Status', { exact: true }).selectOption('pending');
  await view.getByLabel('Priority', { exact: true }).selectOption('urgent');
  await view.getByLabel('New tag').fill('vip');
  await view.getByRole('button', { name: 'Add tag' }).click();
  await expect(view.getByRole('listitem').filter({ hasText: 'vip' })).toBeVisible();
  await settled(page);
  await expect.poll(async () => serverTicket(page, ticket.id)).toMatchObject({ status: 'pending', priority: 'urgent', tags: expect.arrayContaining(['vip']) });
  const stored = await serverTicket(page, ticket.id);
  expect(stored.assigneeId).toBeTruthy();

  await view.getByRole('button', { name: 'Remove tag vip' }).click();
  await expect(view.getByRole('listitem').filter({ hasText: 'vip' })).toHaveCount(0);
  await expect.poll(async () => (await serverTicket(page, ticket.id)).tags).not.toContain('vip');

  // Solved: the composer is closed, with the reason.
  await view.getByLabel('Status', { exact: true }).selectOption('solved');
  await expect(view.getByLabel('Reply', { exact: true })).toBeDisabled();
  await expect(view.getByText('Reopen the ticket to reply.')).toBeVisible();
  await view.getByLabel('Status', { exact: true }).selectOption('open');
  await expect(view.getByLabel('Reply', { exact: true })).toBeEnabled();
  await expect(view.getByText("Media can't be sent from the Desk.")).toBeVisible();

  // Enter sends, Shift+Enter adds a line.
  await view.getByLabel('Reply', { exact: true }).fill('Hello');
  await view.getByLabel('Reply', { exact: true }).press('Shift+Enter');
  await view.getByLabel('Reply', { exact: true }).pressSequentially('there');
  await view.getByLabel('Reply', { exact: true }).press('Enter');
  await expect(view.locator('.message-agent .text').last()).toHaveText('Hello\nthere');
  await expect(view.getByLabel('Reply', { exact: true })).toHaveValue('');
});

test('images, audio and files sent by the user render in the ticket', async ({ page }) => {
  await signIn(page, AGENT);
  const { ticket, visitorId } = await handOff(page);
  await sendFile(page, visitorId, FILES.png, 'Here is the screenshot');
  await sendFile(page, visitorId, FILES.wav);
  await sendFile(page, visitorId, FILES.txt);
  await page.goto(`/tickets?ticket=${ticket.id}`);
  const view = ticketView(page);
  const image = view.getByRole('link', { name: 'Open screenshot.png full size' });
  await expect(image).toBeVisible();
  await expect(image).toHaveAttribute('href', /^\/media\//);
  await expect.poll(() => image.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  const audio = view.locator('audio');
  await expect(audio).toHaveCount(1);
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThan(0);
  const file = view.getByRole('link', { name: /Download invoice-details\.txt/ });
  await expect(file).toBeVisible();
  await expect(file).toContainText('28 B');
  const download = await page.request.get((await file.getAttribute('href')) as string);
  expect(await download.text()).toContain('charged twice');
});

test('user content is text: markup in a message is shown, not run', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs += 1;
    void dialog.dismiss();
  });
  await signIn(page, AGENT);
  const { ticket, visitorId } = await handOff(page);
  const evil = '<img src=x onerror=alert(1)>';
  await sendText(page, visitorId, evil);
  await page.goto(`/tickets?ticket=${ticket.id}`);
  const view = ticketView(page);
  await expect(view.locator('.message-user .text').filter({ hasText: evil })).toHaveText(evil);
  await expect(view.locator('.message img')).toHaveCount(0);
  await expect(page.locator('.ticket-row').filter({ hasText: evil })).toBeVisible();
  await settled(page);
  expect(dialogs).toBe(0);
});

test('the ticket view has no serious accessibility violations', async ({ page }) => {
  await signIn(page, AGENT);
  const { ticket, visitorId } = await handOff(page);
  await sendFile(page, visitorId, FILES.png);
  await page.goto(`/tickets?ticket=${ticket.id}`);
  await expect(ticketView(page).getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
  await expect(ticketView(page).locator('img')).toBeVisible();
  const results = await new AxeBuilder({ page }).include('main').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
