import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { AGENT } from '../support/env.ts';
import { signIn } from '../support/session.ts';
import { handOff, settled, ticketView } from '../support/workspace.ts';

async function openFilter(page: Page, name: 'Agents' | 'Statuses' | 'Priorities') {
  const filter = page.locator('details.multi-select', { hasText: name });
  if ((await filter.getAttribute('open')) === null) await filter.locator('summary').click();
  return filter;
}

const rows = (page: Page) => page.locator('.ticket-row[data-ticket-id]');

test('filters combine, live in the URL and survive a reload; search finds message text', async ({ page }) => {
  // A story of many steps across pages (and agents): 20–30 s on a loaded 2-core machine.
  test.setTimeout(60_000);
  await signIn(page, AGENT);
  await page.goto('/tickets');
  await settled(page);
  const { ticket } = await handOff(page, 'I need a human, my parcel zebracorn-42 never arrived');
  await expect(rows(page).filter({ hasText: `#${ticket.number}` })).toBeVisible();

  // Unassigned + New + (Normal or High): the new hand-off is in, and the URL says so.
  await (await openFilter(page, 'Agents')).getByLabel('Unassigned').check();
  await (await openFilter(page, 'Statuses')).getByLabel('New').check();
  const priorities = await openFilter(page, 'Priorities');
  await priorities.getByLabel('Normal').check();
  await priorities.getByLabel('High').check();
  await expect(page).toHaveURL(/agent=none/);
  await expect(page).toHaveURL(/status=new/);
  await expect(page).toHaveURL(/priority=normal%2Chigh|priority=normal,high/);
  await expect(rows(page).filter({ hasText: `#${ticket.number}` })).toBeVisible();
  for (const row of await rows(page).all()) {
    await expect(row.locator('.pill').first()).toHaveText('New');
    await expect(row.locator('.assignee')).toHaveText('Unassigned');
  }

  await page.reload();
  await expect(page).toHaveURL(/agent=none/);
  await expect((await openFilter(page, 'Agents')).getByLabel('Unassigned')).toBeChecked();
  await expect((await openFilter(page, 'Statuses')).getByLabel('New')).toBeChecked();
  await expect((await openFilter(page, 'Priorities')).getByLabel('High')).toBeChecked();
  await expect(rows(page).filter({ hasText: `#${ticket.number}` })).toBeVisible();

  // Adding "Solved" only (no New) hides it; the counts per status still show it under New.
  await (await openFilter(page, 'Statuses')).getByLabel('New').uncheck();
  await (await openFilter(page, 'Statuses')).getByLabel('Solved').check();
  await expect(rows(page).filter({ hasText: `#${ticket.number}` })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Tickets per status' }).locator('[data-status="new"] strong')).not.toHaveText('0');

  // Esc closes the open filter (and does not leave the page); then text search over message text.
  await page.keyboard.press('Escape');
  await expect(page.locator('details.multi-select[open]')).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Search tickets').fill('zebracorn');
  await expect(page).toHaveURL(/q=zebracorn/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText(`#${ticket.number}`);
  await page.reload();
  await expect(page.getByLabel('Search tickets')).toHaveValue('zebracorn');
  await expect(rows(page)).toHaveCount(1);

  // Sort switch: oldest first is kept in the URL too.
  await page.getByLabel('Search tickets').fill('');
  await page.getByLabel('Sort').selectOption('oldest');
  await expect(page).toHaveURL(/sort=oldest/);
  await expect(page).not.toHaveURL(/q=/);
  await expect(rows(page).first().locator('.ticket-number')).not.toHaveText(`#${ticket.number}`);
  await page.getByLabel('Sort').selectOption('newest');
  await expect(rows(page).first().locator('.ticket-number')).toHaveText(`#${ticket.number}`);
});

test('keyboard: j/k move through the list, r focuses the reply, Esc goes back', async ({ page }) => {
  await signIn(page, AGENT);
  // The newest ticket comes first: an active one, so it can be replied to.
  const { ticket } = await handOff(page);
  await page.goto('/tickets');
  await settled(page);
  await expect(rows(page).first()).toHaveAttribute('data-ticket-id', ticket.id);
  const first = await rows(page).nth(0).getAttribute('data-ticket-id');
  const second = await rows(page).nth(1).getAttribute('data-ticket-id');
  await page.keyboard.press('j');
  await expect(page).toHaveURL(new RegExp(`ticket=${first}`));
  await page.keyboard.press('j');
  await expect(page).toHaveURL(new RegExp(`ticket=${second}`));
  await page.keyboard.press('k');
  await expect(page).toHaveURL(new RegExp(`ticket=${first}`));
  await expect(ticketView(page).getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
  await expect(page.getByLabel('Reply', { exact: true })).toBeEnabled();
  await page.keyboard.press('r');
  await expect(page.getByLabel('Reply', { exact: true })).toBeFocused();
  // Typing j in the reply is text, not navigation.
  await page.keyboard.type('jk');
  await expect(page).toHaveURL(new RegExp(`ticket=${first}`));
  await page.keyboard.press('Escape');
  await expect(page).not.toHaveURL(/ticket=/);
});

test('the list has no serious accessibility violations', async ({ page }) => {
  await signIn(page, AGENT);
  await page.goto('/tickets');
  await settled(page);
  await expect(rows(page).first()).toBeVisible();
  await (await openFilter(page, 'Statuses')).getByLabel('Open').check();
  const results = await new AxeBuilder({ page }).include('main').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test.describe('on a 375 px phone', () => {
  test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  test('the list, then the ticket, then back to the list', async ({ page }) => {
    await signIn(page, AGENT);
    const { ticket } = await handOff(page);
    await page.goto('/tickets');
    await settled(page);
    const row = rows(page).filter({ hasText: `#${ticket.number}` });
    await expect(row).toBeVisible();
    await expect(ticketView(page)).toHaveCount(0);
    // Nothing sticks out sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await row.click();
    await expect(ticketView(page).getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
    await expect(rows(page).first()).toBeHidden();
    await expect(page.getByLabel('Reply', { exact: true })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await ticketView(page).getByRole('button', { name: 'Back to the list' }).click();
    await expect(row).toBeVisible();
    await expect(ticketView(page)).toHaveCount(0);
  });
});
