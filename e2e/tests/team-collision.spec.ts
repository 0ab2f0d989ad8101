import { expect, test } from '@playwright/test';
import { seriousAxeFindings } from '../support/axe.ts';
import { AGENT } from '../support/env.ts';
import { agentAt, BRUNO, namedHandOff, openTicket } from '../support/team.ts';
import { settled } from '../support/workspace.ts';

test('collision: a reply after another agent replied asks "send anyway?"; both choices work; offline, the reply is held when the outbox syncs', async ({ browser }) => {
  // A story of many steps across pages (and agents): 20–30 s on a loaded 2-core machine.
  test.setTimeout(60_000);
  const ana = await agentAt(browser, AGENT);
  const bruno = await agentAt(browser, BRUNO);
  const { ticket, visitorTexts } = await namedHandOff(ana.page, 'Rita Lee', 'I need a human about my invoice');
  await openTicket(ana.page, ticket);
  await openTicket(bruno.page, ticket);
  const anaView = ana.page.getByRole('article');
  const anaReply = anaView.getByLabel('Reply', { exact: true });

  // Bruno answers after Ana opened the ticket; Ana then sends hers: the prompt shows Bruno's reply.
  await bruno.page.getByLabel('Reply', { exact: true }).fill('Bruno here, checking your invoice.');
  await bruno.page.getByLabel('Reply', { exact: true }).press('Enter');
  await expect(anaView.locator('.message-agent', { hasText: 'Bruno here, checking your invoice.' })).toBeVisible();
  await anaReply.fill('Ana here: the refund is on its way.');
  await anaReply.press('Enter');
  const prompt = anaView.getByRole('alertdialog');
  await expect(prompt).toContainText('Bruno Díaz replied after you opened this ticket:');
  await expect(prompt).toContainText('Bruno here, checking your invoice.');
  await expect(prompt).toContainText('Send your reply anyway?');
  expect(await seriousAxeFindings(ana.page, '.collision')).toEqual([]);
  // On a 375 px phone the prompt and both its choices fit the screen.
  const desktop = ana.page.viewportSize();
  await ana.page.setViewportSize({ width: 375, height: 667 });
  await expect(prompt.getByRole('button', { name: 'Send anyway' })).toBeInViewport();
  await expect(prompt.getByRole('button', { name: 'Not yet' })).toBeInViewport();
  expect(await ana.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  if (desktop) await ana.page.setViewportSize(desktop);

  // "Not yet": nothing is sent, the text stays to edit; sending again goes through (Ana has seen it).
  await prompt.getByRole('button', { name: 'Not yet' }).click();
  await expect(prompt).toHaveCount(0);
  await expect(anaReply).toHaveValue('Ana here: the refund is on its way.');
  expect(await visitorTexts()).not.toContain('Ana here: the refund is on its way.');
  await anaReply.fill('Ana here: adding to what Bruno said, the refund is on its way.');
  await anaReply.press('Enter');
  await expect(prompt).toHaveCount(0);
  await expect.poll(visitorTexts).toContain('Ana here: adding to what Bruno said, the refund is on its way.');

  // Bruno again; this time Ana chooses "Send anyway".
  // (Bruno opened the ticket before Ana's reply: he is asked too, and sends anyway.)
  await bruno.page.getByLabel('Reply', { exact: true }).fill('Bruno: it was charged twice.');
  await bruno.page.getByLabel('Reply', { exact: true }).press('Enter');
  await bruno.page.getByRole('alertdialog').getByRole('button', { name: 'Send anyway' }).click();
  await expect(anaView.locator('.message-agent', { hasText: 'Bruno: it was charged twice.' })).toBeVisible();
  await anaReply.fill('Ana: both charges will be refunded.');
  await anaReply.press('Enter');
  await prompt.getByRole('button', { name: 'Send anyway' }).click();
  await expect.poll(visitorTexts).toContain('Ana: both charges will be refunded.');
  await expect(anaReply).toHaveValue('');
  await settled(ana.page);

  // Offline: Ana writes; Bruno replies meanwhile; when Ana's outbox syncs, her reply is held and she is told.
  await ana.context.setOffline(true);
  await anaReply.fill('Ana (offline): anything else I can do?');
  await anaReply.press('Enter');
  await bruno.page.getByLabel('Reply', { exact: true }).fill('Bruno: done, closing soon.');
  await bruno.page.getByLabel('Reply', { exact: true }).press('Enter');
  await bruno.page.getByRole('alertdialog').getByRole('button', { name: 'Send anyway' }).click();
  await expect.poll(visitorTexts).toContain('Bruno: done, closing soon.');
  await ana.context.setOffline(false);
  const held = anaView.getByRole('alert').filter({ hasText: 'Your reply was held' });
  await expect(held).toContainText('Ana (offline): anything else I can do?');
  expect(await seriousAxeFindings(ana.page, '.held-replies')).toEqual([]);
  await expect(anaView.locator('.message-agent', { hasText: 'Bruno: done, closing soon.' })).toBeVisible();
  expect(await visitorTexts()).not.toContain('Ana (offline): anything else I can do?');
  await held.getByRole('button', { name: 'Send anyway' }).click();
  await expect(held).toHaveCount(0);
  await expect.poll(visitorTexts).toContain('Ana (offline): anything else I can do?');
  await Promise.all([ana.context.close(), bruno.context.close()]);
});
