import { expect, test } from '@playwright/test';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';

/**
 * Headless Chromium has no push service, so the server's half (web-push to a push service) is
 * tested in apps/server/test/push; here the browser's half: the service worker turns a push
 * message into a notification, as Chromium's DevTools protocol delivers one.
 */
test('a push message becomes a notification that links to the ticket', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['notifications'], { origin: baseURL as string });
  await signIn(page, ADMIN);
  await page.evaluate(() => navigator.serviceWorker.ready);

  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const active = registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(baseURL as string));
      if (active) resolve(active.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const payload = { title: 'New ticket #77', body: 'Acme Support — Talk to a person', url: '/tickets?ticket=t-77', tag: 'ticket-t-77' };
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(baseURL as string).origin, registrationId: await registrationId, data: JSON.stringify(payload) });

  await expect
    .poll(() =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: (n.data as { url: string }).url }));
      }),
    )
    .toEqual([{ title: payload.title, body: payload.body, tag: payload.tag, url: payload.url }]);
});

test('Settings offers push on this device and says why when the browser cannot subscribe', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['notifications'], { origin: baseURL as string });
  await signIn(page, ADMIN);
  await page.goto('/settings');
  await page.evaluate(() => navigator.serviceWorker.ready);
  const toggle = page.getByRole('checkbox', { name: 'Push notifications on this device' });
  await expect(toggle).not.toBeChecked();
  const keyRequest = page.waitForResponse('**/api/push/public-key');
  // A click, not check(): the refusal can come back before check() reads the box, which is then unchecked again.
  await toggle.click();
  expect((await keyRequest).status()).toBe(200);
  // Headless Chromium has no push service: subscribing is refused, and the agent is told so.
  await expect(page.getByRole('alert')).toContainText("Couldn't turn on push notifications");
  await expect(toggle).not.toBeChecked();
});
