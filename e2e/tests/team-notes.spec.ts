import { expect, type Locator, test } from '@playwright/test';
import { AGENT } from '../support/env.ts';
import { agentAt, BRUNO, openTicket } from '../support/team.ts';
import { ticketOfVisitor } from '../support/tickets.ts';
import { openWidget } from '../support/widget.ts';

test('an internal note stays with the agents: not delivered to the widget while the reply is; its @mention alerts the other agent', async ({ browser }) => {
  // The visitor, on the demo site's widget, asks for a person.
  const visitorContext = await browser.newContext();
  const visitorPage = await visitorContext.newPage();
  const chat = await openWidget(visitorPage, 'en');
  await chat.send('could I please speak with a real person');
  const visitorId = (await chat.visitorId()) as string;

  const ana = await agentAt(browser, AGENT);
  const bruno = await agentAt(browser, BRUNO);
  const ticket = await ticketOfVisitor(ana.page, visitorId);
  await openTicket(ana.page, ticket);
  const view = ana.page.getByRole('article');
  // Ana takes the ticket: a mention reaches Bruno even so.
  await view.getByRole('button', { name: 'Assign to me' }).click();

  // The note: its own toggle, colour and lock; Bruno is mentioned.
  await view.getByRole('radio', { name: 'Internal note' }).check();
  const noteBox = view.getByLabel('Internal note (only agents see it)');
  await noteBox.fill('@bruno did we refund this customer last month?');
  await view.getByRole('button', { name: 'Add note' }).click();
  const note = view.locator('.message-note', { hasText: 'did we refund this customer' });
  await expect(note).toBeVisible();
  await expect(note).toContainText('Internal note');
  await expect(note.locator('svg.note-lock')).toHaveCount(1);
  const colours = await backgroundOf(note);
  const reply = view.locator('.message-agent').first();

  // Then the reply to the user.
  await view.getByRole('radio', { name: 'Reply to user' }).check();
  await view.getByLabel('Reply', { exact: true }).fill('Hi! Ana here, let me check.');
  await view.getByLabel('Reply', { exact: true }).press('Enter');
  await expect(reply).toContainText('Hi! Ana here, let me check.');
  expect(await backgroundOf(reply)).not.toBe(colours);

  // The widget gets the reply, never the note.
  await expect(chat.log.getByText('Hi! Ana here, let me check.')).toBeVisible();
  await expect(chat.log.getByText(/did we refund/)).toHaveCount(0);
  await visitorPage.reload();
  await visitorPage.getByRole('button', { name: 'Open chat' }).click();
  const log = visitorPage.getByRole('dialog').getByRole('log');
  await expect(log.getByText('Hi! Ana here, let me check.')).toBeVisible();
  await expect(log.getByText(/did we refund/)).toHaveCount(0);

  // Bruno is alerted on a ticket that isn't his, and sees the note as a note.
  const toasts = bruno.page.getByRole('status', { name: 'Alerts' });
  await expect(toasts).toContainText(`Ana Souza mentioned you on #${ticket.number}: @bruno did we refund this customer last month?`);
  await openTicket(bruno.page, ticket);
  await expect(bruno.page.locator('.message-note', { hasText: 'did we refund this customer' })).toBeVisible();
  await Promise.all([ana.context.close(), bruno.context.close(), visitorContext.close()]);
});

/**
 * A message row's background. The row is re-rendered when its push is confirmed, and a detached row
 * has no computed style (""), so this waits until the row is in the page.
 */
async function backgroundOf(row: Locator): Promise<string> {
  let colour = '';
  await expect.poll(async () => (colour = await row.evaluate((el) => (el.isConnected ? getComputedStyle(el).backgroundColor : '')))).not.toBe('');
  return colour;
}
