import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { AGENT } from '../support/env.ts';
import { PHONE, png, touchGesture } from '../support/phone.ts';
import { signIn } from '../support/session.ts';
import { FILES, handOff, sendFile, settled, ticketView } from '../support/workspace.ts';

/** Issue 17: media, notifications and the dark theme on a phone (375 × 667, touch). */
test.use(PHONE);
// Several hand-offs, files and axe runs each, on a shared 2-core machine.
test.describe.configure({ timeout: 90_000 });

async function noSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${where}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const background = (page: Page, selector = 'body') => page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);

test('images open in the in-app viewer: swipe between them, pinch to zoom, back closes; audio plays inline, files download by name', async ({ page }) => {
  await signIn(page, AGENT);
  const { ticket, visitorId } = await handOff(page);
  await sendFile(page, visitorId, { name: 'parcel-front.png', mimeType: 'image/png', buffer: png(320, 240, [200, 60, 60]) }, 'The box arrived like this');
  await sendFile(page, visitorId, { name: 'parcel-label.png', mimeType: 'image/png', buffer: png(240, 320, [60, 60, 200]) });
  await sendFile(page, visitorId, FILES.wav);
  await sendFile(page, visitorId, FILES.txt);
  await page.goto('/tickets');
  await settled(page);
  await page.locator(`.ticket-row[data-ticket-id="${ticket.id}"]`).tap();
  const view = ticketView(page);
  await expect(view.locator('audio[controls]')).toHaveCount(1);
  await expect(view.locator('a[download="invoice-details.txt"]')).toBeVisible();

  await view.getByRole('link', { name: 'Open parcel-front.png full size' }).tap();
  const viewer = page.getByRole('dialog', { name: 'Image viewer' });
  await expect(viewer).toBeVisible();
  await expect(viewer.getByText('Image 1 of 2: parcel-front.png')).toBeVisible();
  await expect(viewer.getByRole('img', { name: 'parcel-front.png' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`ticket=${ticket.id}`));

  // Swipe left: the next image of the conversation.
  await touchGesture(page, { from: { x: 300, y: 330 }, to: { x: 60, y: 340 } });
  await expect(viewer.getByText('Image 2 of 2: parcel-label.png')).toBeVisible();
  await expect(viewer.getByRole('img', { name: 'parcel-label.png' })).toBeVisible();
  // Keys and buttons too (a click: a tap right after a swipe would only stop its fling).
  await page.keyboard.press('ArrowLeft');
  await expect(viewer.getByText('Image 1 of 2: parcel-front.png')).toBeVisible();
  await viewer.getByRole('button', { name: 'Next image' }).click();
  await expect(viewer.getByText('Image 2 of 2: parcel-label.png')).toBeVisible();
  await viewer.getByRole('button', { name: 'Previous image' }).click();
  await expect(viewer.getByText('Image 1 of 2: parcel-front.png')).toBeVisible();

  // Pinch out: the image zooms.
  const image = viewer.getByRole('img', { name: 'parcel-front.png' });
  const before = (await image.boundingBox())?.width ?? 0;
  await touchGesture(page, { from: { x: 160, y: 330 }, to: { x: 60, y: 330 } }, { from: { x: 215, y: 330 }, to: { x: 315, y: 330 } });
  await expect.poll(async () => (await image.boundingBox())?.width ?? 0).toBeGreaterThan(before * 2);
  // Zoomed, a one-finger drag pans instead of swiping to the next image.
  await touchGesture(page, { from: { x: 300, y: 330 }, to: { x: 100, y: 330 } });
  await expect(viewer.getByText('Image 1 of 2: parcel-front.png')).toBeVisible();
  await expect(viewer.getByRole('link', { name: 'Download parcel-front.png' })).toHaveAttribute('download', 'parcel-front.png');
  await noSeriousViolations(page, 'image viewer');

  // Back closes the viewer, not the ticket.
  await page.goBack();
  await expect(viewer).toBeHidden();
  await expect(view.getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
});

test('tapping a push notification opens its ticket in the window already open, without a reload', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['notifications'], { origin: baseURL as string });
  await signIn(page, AGENT);
  const { ticket } = await handOff(page);
  await page.goto('/tickets');
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await settled(page);
  await expect(ticketView(page)).toHaveCount(0);
  // Marks this document: a reload or a new window would not have it.
  await page.evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });

  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const active = registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(baseURL as string));
      if (active) resolve(active.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const payload = { title: `Ticket #${ticket.number} updated`, body: 'A new message', url: `/tickets?ticket=${encodeURIComponent(ticket.id)}`, tag: `ticket-${ticket.id}` };
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(baseURL as string).origin, registrationId: await registrationId, data: JSON.stringify(payload) });
  const notifications = () => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => n.tag));
  await expect.poll(notifications).toEqual([payload.tag]);

  // The click: headless Chromium shows no notification to tap, so the worker gets the
  // notificationclick event for its own notification, as the system would send it.
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await worker.evaluate(async () => {
    // Worker-scope types (the e2e project compiles with the DOM library only).
    type Scope = EventTarget & { registration: ServiceWorkerRegistration; NotificationEvent: new (type: string, init: { notification: Notification }) => Event };
    const sw = self as unknown as Scope;
    const [notification] = await sw.registration.getNotifications();
    if (!notification) throw new Error('no notification');
    sw.dispatchEvent(new sw.NotificationEvent('notificationclick', { notification }));
  });

  await expect(ticketView(page)).toHaveAttribute('data-ticket-id', ticket.id);
  await expect(ticketView(page).getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  expect(context.pages()).toHaveLength(1);
  await expect.poll(notifications).toEqual([]);
});

test('the dark theme follows the system, can be chosen in Settings, and reaches the widget', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await signIn(page, AGENT);
  await page.goto('/settings');
  expect(await background(page)).toBe('rgb(15, 17, 23)');
  const theme = page.getByRole('combobox', { name: 'Theme' });
  await expect(theme).toHaveValue('system');
  await theme.selectOption('light');
  expect(await background(page)).toBe('rgb(246, 247, 251)');
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('light');
  expect(await background(page)).toBe('rgb(246, 247, 251)');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background(page)).toBe('rgb(15, 17, 23)');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
  expect(await background(page)).toBe('rgb(246, 247, 251)');

  // The widget follows the visitor's system setting.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/demo?lang=en');
  await page.getByRole('button', { name: 'Open chat' }).tap();
  const panel = page.getByRole('dialog', { name: 'Chat' });
  await expect(panel).toBeVisible();
  expect(await panel.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(17, 24, 39)');
  await noSeriousViolations(page, 'widget, dark');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await panel.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 255, 255)');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`every phone screen passes axe in the ${scheme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await noSeriousViolations(page, 'login');
    await signIn(page, AGENT);
    const { ticket, visitorId } = await handOff(page);
    await sendFile(page, visitorId, { name: 'receipt.png', mimeType: 'image/png', buffer: png(200, 200, [90, 160, 90]) });
    await page.goto('/tickets');
    await settled(page);
    await noSeriousViolations(page, 'list');
    await page.locator(`.ticket-row[data-ticket-id="${ticket.id}"]`).tap();
    await expect(ticketView(page).getByRole('img', { name: 'receipt.png' })).toBeVisible();
    await noSeriousViolations(page, 'ticket');
    await ticketView(page).getByRole('button', { name: 'Show ticket details' }).tap();
    await expect(page.getByRole('dialog', { name: 'Ticket details' })).toBeVisible();
    await noSeriousViolations(page, 'details sheet');
    await page.keyboard.press('Escape');
    await ticketView(page).getByRole('link', { name: 'Open receipt.png full size' }).tap();
    await expect(page.getByRole('dialog', { name: 'Image viewer' })).toBeVisible();
    await noSeriousViolations(page, 'image viewer');
    await page.goto('/settings');
    await expect(page.getByRole('combobox', { name: 'Theme' })).toBeVisible();
    await noSeriousViolations(page, 'settings');
  });
}
