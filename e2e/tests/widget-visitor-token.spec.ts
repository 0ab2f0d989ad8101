import { expect, test } from '@playwright/test';
import { STRINGS } from '../../apps/widget/src/i18n.ts';
import { FILES } from '../support/workspace.ts';
import { openWidget } from '../support/widget.ts';

const s = STRINGS.en;
const stored = (page: import('@playwright/test').Page) =>
  page.evaluate(() => ({ id: localStorage.getItem('desk.visitorId'), token: localStorage.getItem('desk.visitorToken') }));

test('the widget keeps its visitor token: the conversation and its files come back after a reload', async ({ page }) => {
  const chat = await openWidget(page, 'en');
  await chat.send('hello there');
  await expect(chat.lastFrom('bot')).toBeVisible();
  const first = await stored(page);
  expect(first.token).toMatch(/^[\w-]{40,}$/);

  // An image goes up and comes back through the token (a plain <img src> could not carry it).
  await chat.panel.locator('input[type="file"]').setInputFiles(FILES.png);
  const image = chat.log.getByRole('img', { name: FILES.png.name });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);

  await page.reload();
  await page.getByRole('button', { name: s.openChat }).click();
  const log = page.getByRole('dialog', { name: s.title }).getByRole('log');
  await expect(log.getByText('hello there')).toBeVisible();
  await expect(log.getByRole('img', { name: FILES.png.name })).toBeVisible();
  // The visitor's own API refuses the public id alone.
  expect((await page.request.get(`/channels/webchat/messages?visitorId=${first.id}`)).status()).toBe(401);
});

test('a rotated token makes the widget start a new conversation, and the message still goes out', async ({ page }) => {
  const chat = await openWidget(page, 'en');
  await chat.send('before the rotation');
  const before = await stored(page);
  const rotated = await page.request.post('/channels/webchat/token', { headers: { 'X-Visitor-Token': before.token as string } });
  expect(rotated.status()).toBe(200);

  await chat.send('after the rotation');
  await expect(chat.log.getByText('before the rotation')).toHaveCount(0);
  const after = await stored(page);
  expect(after.token).not.toBe(before.token);
  expect(after.id).not.toBe(before.id);
});
