import { expect, test } from '@playwright/test';
import { seriousAxeFindings } from '../support/axe.ts';
import { AGENT } from '../support/env.ts';
import { agentAt, BRUNO, namedHandOff, openTicket } from '../support/team.ts';

test('presence: who views and who replies shows on the ticket and as a marker in the list, hidden offline, gone after the other agent goes offline', async ({ browser }) => {
  // The viewing TTL is 30 s: the last part waits for it.
  test.setTimeout(90_000);
  const ana = await agentAt(browser, AGENT);
  const bruno = await agentAt(browser, BRUNO);
  const { ticket } = await namedHandOff(ana.page, 'Rita Lee', 'I need a human about my invoice');

  await openTicket(ana.page, ticket);
  const presence = ana.page.getByRole('list', { name: 'Also on this ticket' });
  await expect(presence).toHaveCount(0);
  await openTicket(bruno.page, ticket);
  await expect(presence.getByRole('listitem')).toHaveText(/BD\s*Bruno Díaz is viewing/);
  // Bruno sees Ana too.
  await expect(bruno.page.getByRole('list', { name: 'Also on this ticket' })).toContainText('Ana Souza is viewing');

  // Bruno types a reply: "is replying…"; he stops: back to viewing after the typing TTL.
  await bruno.page.getByLabel('Reply', { exact: true }).pressSequentially('Looking into', { delay: 30 });
  await expect(presence).toContainText('Bruno Díaz is replying…');
  await expect(presence).toContainText('Bruno Díaz is viewing', { timeout: 10_000 });

  // Ana's list marks the ticket Bruno has open.
  const row = ana.page.locator(`.ticket-row[data-ticket-id="${ticket.id}"]`);
  await expect(row.getByRole('img', { name: 'Open by Bruno Díaz' })).toBeVisible();
  expect(await seriousAxeFindings(ana.page, '.presence-bar')).toEqual([]);
  expect(await seriousAxeFindings(ana.page, `.ticket-row[data-ticket-id="${ticket.id}"]`)).toEqual([]);
  // On a 375 px phone the ticket view still says who else is here, within the screen.
  const desktop = ana.page.viewportSize();
  await ana.page.setViewportSize({ width: 375, height: 667 });
  await expect(presence.getByRole('listitem')).toBeInViewport();
  expect(await ana.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  if (desktop) await ana.page.setViewportSize(desktop);

  // Ana offline: no stale presence, nothing at all; back online, it is there again.
  await ana.context.setOffline(true);
  await expect(presence).toHaveCount(0);
  await expect(row.getByRole('img', { name: /Open by/ })).toHaveCount(0);
  await ana.context.setOffline(false);
  await expect(presence).toContainText('Bruno Díaz is viewing', { timeout: 10_000 });

  // Bruno goes offline: he can't say so, so he disappears when his last beat expires.
  await bruno.context.setOffline(true);
  await expect(presence).toHaveCount(0, { timeout: 50_000 });
  await expect(row.getByRole('img', { name: /Open by/ })).toHaveCount(0);
  await Promise.all([ana.context.close(), bruno.context.close()]);
});
