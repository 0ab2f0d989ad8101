import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { AGENT } from '../support/env.ts';
import { fakeKeyboard, PHONE } from '../support/phone.ts';
import { signIn } from '../support/session.ts';
import { handOff, sendText, settled, ticketView } from '../support/workspace.ts';

/** Issue 17: the ticket view on a phone (375 × 667, touch). */
test.use(PHONE);
// Several hand-offs, files and axe runs each, on a shared 2-core machine.
test.describe.configure({ timeout: 60_000 });

const rows = (page: Page) => page.locator('.ticket-row[data-ticket-id]');
const bottomOf = async (page: Page, selector: string) => page.locator(selector).evaluate((el) => el.getBoundingClientRect().bottom);

async function serverTicket(page: Page, id: string) {
  const res = await page.request.get(`/api/tickets/${id}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { ticket: Record<string, unknown> }).ticket;
}

test('the ticket opens at its newest message, the composer pinned at the bottom and above the keyboard', async ({ page, context }) => {
  await fakeKeyboard(context);
  await signIn(page, AGENT);
  const { ticket, visitorId } = await handOff(page);
  for (let i = 1; i <= 12; i++) await sendText(page, visitorId, `Message number ${i} about my order`);
  await page.goto('/tickets');
  await settled(page);
  await rows(page).filter({ hasText: `#${ticket.number}` }).click();
  const view = ticketView(page);
  // A compact header: back, #number, the requester, the status.
  await expect(view.getByRole('button', { name: 'Back to the list' })).toBeVisible();
  await expect(view.getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
  await expect(view.locator('.view-status')).toHaveText('New');
  // Conversation first: the newest message is on screen, the oldest and the properties are not.
  await expect(view.getByText('Message number 12 about my order')).toBeInViewport();
  // The whole conversation is there above it (the view may paint first from the list row's newest message).
  await expect(view.getByText('Message number 1 about my order', { exact: true })).toBeAttached();
  await expect(view.getByText('Message number 1 about my order', { exact: true })).not.toBeInViewport();
  await expect(view.getByLabel('Status', { exact: true })).toHaveCount(0);
  const reply = view.getByLabel('Reply', { exact: true });
  await expect(reply).toBeInViewport();
  expect(await bottomOf(page, '.reply-form')).toBeGreaterThan(667 - 2);

  // The keyboard takes 300 px: the composer moves up with the visual viewport, the newest message stays in view.
  await reply.tap();
  await page.evaluate(() => (window as unknown as { __keyboard(px: number): void }).__keyboard(300));
  await expect.poll(() => bottomOf(page, '.reply-form')).toBeLessThanOrEqual(367);
  expect(await bottomOf(page, '.reply-form')).toBeGreaterThan(367 - 2);
  await expect(view.getByText('Message number 12 about my order')).toBeInViewport();
  await reply.fill('We are looking into it');
  await reply.press('Enter');
  await expect(view.locator('.message-agent .text').last()).toHaveText('We are looking into it');
  await expect(view.locator('.message-agent').last()).toBeInViewport();
  await page.evaluate(() => (window as unknown as { __keyboard(px: number): void }).__keyboard(0));
  await expect.poll(() => bottomOf(page, '.reply-form')).toBeGreaterThan(667 - 2);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});

test('the details sheet changes status, assignee and tags, and closes with Esc and with back', async ({ page }) => {
  await signIn(page, AGENT);
  const { ticket } = await handOff(page);
  await page.goto('/tickets');
  await settled(page);
  await rows(page).filter({ hasText: `#${ticket.number}` }).click();
  const view = ticketView(page);
  const opener = view.getByRole('button', { name: 'Show ticket details' });
  const sheet = page.getByRole('dialog', { name: 'Ticket details' });

  // By keyboard: the button opens the sheet and focus moves into it.
  await opener.focus();
  await page.keyboard.press('Enter');
  await expect(sheet).toBeVisible();
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
  await sheet.getByRole('button', { name: 'Assign to me' }).click();
  await expect(sheet.getByLabel('Assignee', { exact: true })).toHaveValue(/.+/);
  await sheet.getByLabel('Status', { exact: true }).selectOption('pending');
  await expect(view.locator('.view-status')).toHaveText('Pending');
  await sheet.getByLabel('New tag').fill('vip');
  await sheet.getByRole('button', { name: 'Add tag' }).click();
  await expect(sheet.getByRole('listitem').filter({ hasText: 'vip' })).toBeVisible();
  await expect(sheet.getByRole('region', { name: 'Ticket details' })).toContainText('Talk to a person');
  await expect(sheet.getByRole('heading', { name: 'User', exact: true })).toBeVisible();

  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(view.getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
  await expect(page).toHaveURL(new RegExp(`ticket=${ticket.id}`));

  // The back button or gesture closes the sheet, not the ticket.
  await opener.tap();
  await expect(sheet).toBeVisible();
  await page.goBack();
  await expect(sheet).toBeHidden();
  await expect(view.getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);

  await settled(page);
  await expect.poll(async () => serverTicket(page, ticket.id)).toMatchObject({ status: 'pending', assigneeId: expect.any(String), tags: expect.arrayContaining(['vip']) });
  // Back again: the list.
  await page.goBack();
  await expect(ticketView(page)).toHaveCount(0);
  await expect(rows(page).filter({ hasText: `#${ticket.number}` })).toBeVisible();
});

test('a ticket opened from the list is built once: its history entry lands under it without rebuilding the view, so focus stays', async ({ page }) => {
  await signIn(page, AGENT);
  const { ticket } = await handOff(page);
  await page.goto('/tickets');
  await settled(page);
  // Count the ticket views built from the tap on.
  await page.evaluate(() => {
    const built = { count: 0 };
    (window as unknown as { ticketViewsBuilt: typeof built }).ticketViewsBuilt = built;
    new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) if (node instanceof HTMLElement && node.matches('.ticket-view')) built.count++;
    }).observe(document.querySelector('.ticket-pane') as Element, { childList: true, subtree: true });
  });
  const built = () => page.evaluate(() => (window as unknown as { ticketViewsBuilt: { count: number } }).ticketViewsBuilt.count);
  await rows(page).filter({ hasText: `#${ticket.number}` }).tap();
  const view = ticketView(page);
  const opener = view.getByRole('button', { name: 'Show ticket details' });
  await opener.focus();
  await expect(page).toHaveURL(new RegExp(`[?&]ticket=${ticket.id}`));
  await expect(view.getByRole('button', { name: 'Back to the list' })).toBeVisible();
  expect(await built()).toBe(1);
  await expect(opener).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Ticket details' })).toBeVisible();
});

test('back returns to the list at the same scroll position with the same filters; rows lead with intent and requester', async ({ page }) => {
  await signIn(page, AGENT);
  // Enough unassigned tickets to scroll.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      const res = await page.request.post('/channels/webchat/messages', { data: { visitorId: randomUUID(), text: 'I need a human' } });
      expect(res.ok()).toBe(true);
    }),
  );
  await handOff(page);
  await page.goto('/tickets?agent=none');
  await settled(page);
  const scroller = page.getByTestId('ticket-scroll');
  await expect.poll(() => scroller.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeGreaterThan(400);

  // A narrow row: the intent's name, not the integration's prefix; the requester first on its line.
  const first = rows(page).first();
  await expect(first.locator('.subject-rest')).toHaveText('Talk to a person');
  await expect(first.locator('.subject-prefix')).toBeHidden();

  for (const how of ['browser back', 'header back'] as const) {
    await scroller.evaluate((el) => {
      el.scrollTop = 300;
    });
    await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBe(300);
    const top = await scroller.evaluate((el) => el.getBoundingClientRect().top);
    const row = await (async () => {
      for (const candidate of await rows(page).all()) {
        const box = await candidate.boundingBox();
        if (box && box.y >= top) return candidate;
      }
      throw new Error('no row in view');
    })();
    const id = (await row.getAttribute('data-ticket-id')) as string;
    await row.tap();
    await expect(ticketView(page)).toHaveAttribute('data-ticket-id', id);
    await expect(row).toBeHidden();
    if (how === 'browser back') await page.goBack();
    else await ticketView(page).getByRole('button', { name: 'Back to the list' }).tap();
    await expect(ticketView(page)).toHaveCount(0);
    await expect(page).toHaveURL(/\/tickets\?agent=none$/);
    expect(await scroller.evaluate((el) => el.scrollTop)).toBe(300);
    await expect(page.locator(`.ticket-row[data-ticket-id="${id}"]`)).toBeFocused();
    await expect(page.locator(`.ticket-row[data-ticket-id="${id}"]`)).toBeInViewport();
  }
});

test('at 768 px and wider the ticket keeps its side-by-side layout', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, AGENT);
  const { ticket } = await handOff(page);
  await page.goto(`/tickets?ticket=${ticket.id}`);
  const view = ticketView(page);
  await expect(view.getByLabel('Status', { exact: true })).toBeVisible();
  await expect(view.getByRole('button', { name: 'Show ticket details' })).toHaveCount(0);
  await expect(rows(page).first()).toBeVisible();
});
