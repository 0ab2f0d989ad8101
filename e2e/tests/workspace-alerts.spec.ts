import { type Browser, expect, test } from '@playwright/test';
import { AGENT } from '../support/env.ts';
import { signIn } from '../support/session.ts';
import { audioRunning, countSounds, handOff, sendText, settled, sounds, ticketView } from '../support/workspace.ts';

const BRUNO = { email: 'bruno@desk.local', password: AGENT.password };

/** A fresh browser for Ana, sounds counted, her ticket list open and synced. */
async function anaAtTheTickets(browser: Browser) {
  const context = await browser.newContext();
  await countSounds(context);
  const page = await context.newPage();
  await signIn(page, AGENT);
  await page.goto('/tickets');
  await settled(page);
  return { context, page };
}

test('a hand-off from the web chat raises a sound and a toast; the agent’s own actions raise none', async ({ browser }) => {
  // A story of many steps across pages (and agents): 20–30 s on a loaded 2-core machine.
  test.setTimeout(60_000);
  const { context, page } = await anaAtTheTickets(browser);
  // The first interaction unlocks audio (browsers' autoplay rules).
  await page.getByRole('heading', { level: 1 }).click();
  const toasts = page.getByRole('status', { name: 'Alerts' });

  const before = await sounds(page);
  const { ticket, visitorId } = await handOff(page);
  await expect(toasts).toContainText(`New ticket #${ticket.number}`);
  await expect.poll(() => sounds(page)).toBeGreaterThan(before);
  await expect(page).toHaveTitle(/^\(\d+\) /);
  // Between beeps the audio device is let go (a phone's CPU and battery); the next beep takes it again.
  await expect.poll(() => audioRunning(page)).toBe(false);

  // A later user message is one more alert.
  const afterHandOff = await sounds(page);
  await sendText(page, visitorId, 'Are you there?');
  await expect(toasts).toContainText(`#${ticket.number}: new message from the user: Are you there?`);
  await expect.poll(() => sounds(page)).toBeGreaterThan(afterHandOff);
  await expect(async () => {
    const dismiss = toasts.getByRole('button', { name: 'Dismiss' });
    if ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 1000 });
    await expect(toasts.getByTestId('alert-toast')).toHaveCount(0, { timeout: 100 });
  }).toPass();

  // The agent's own actions: assign to self, change the status. No sound, no toast.
  await page.goto(`/tickets?ticket=${ticket.id}`);
  await expect(ticketView(page).getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
  await page.getByRole('heading', { level: 1 }).click();
  await settled(page);
  const quiet = await sounds(page);
  await ticketView(page).getByRole('button', { name: 'Assign to me' }).click();
  await ticketView(page).getByLabel('Status', { exact: true }).selectOption('pending');
  await expect
    .poll(async () => {
      const res = await page.request.get(`/api/tickets/${ticket.id}`);
      const body = (await res.json()) as { status?: string; ticket?: { status: string } };
      return body.ticket?.status ?? body.status;
    })
    .toBe('pending');
  await settled(page);
  expect(await sounds(page)).toBe(quiet);
  await expect(toasts.getByTestId('alert-toast')).toHaveCount(0);

  // Someone else's change to the same ticket is announced.
  const other = await browser.newContext();
  const bruno = await other.newPage();
  await signIn(bruno, BRUNO);
  const res = await bruno.request.patch(`/api/tickets/${ticket.id}`, { data: { status: 'on-hold' } });
  expect(res.ok()).toBe(true);
  await expect(toasts).toContainText(`#${ticket.number} is now On hold`);
  await expect.poll(() => sounds(page)).toBeGreaterThan(quiet);
  await other.close();
  await context.close();
});

test('the audio context is made while the page is idle, so the first press only resumes it', async ({ browser }) => {
  const { context, page } = await anaAtTheTickets(browser);
  const contexts = () => page.evaluate(() => (window as unknown as { __audio: AudioContext[] }).__audio.length);
  // Made once the first screen painted, before any interaction, and not holding the audio device.
  await expect.poll(contexts).toBe(1);
  await expect.poll(() => audioRunning(page)).toBe(false);
  // The first press on a ticket makes none (that cost a phone-class CPU tens of ms in the tap's response).
  await page.locator('.ticket-row').first().click();
  await expect(ticketView(page)).toBeVisible();
  expect(await contexts()).toBe(1);
  // …and audio is unlocked: an alert now sounds at once.
  const before = await sounds(page);
  await handOff(page);
  await expect.poll(() => sounds(page)).toBeGreaterThan(before);
  await context.close();
});

test('changes that arrived while the app was closed are announced once', async ({ browser }) => {
  const { context, page } = await anaAtTheTickets(browser);
  await page.goto('/settings');
  await page.close();

  // Three hand-offs while no tab is open.
  for (let i = 0; i < 3; i += 1) await handOff(context);

  const again = await context.newPage();
  await again.goto('/tickets');
  const toasts = again.getByRole('status', { name: 'Alerts' });
  await expect(toasts.getByTestId('alert-toast')).toHaveCount(1);
  await expect(toasts).toContainText('tickets have news');
  await again.getByRole('heading', { level: 1 }).click();
  // One sound (a two-tone beep: two oscillators) played once audio was unlocked.
  await expect.poll(() => sounds(again)).toBe(2);
  await context.close();
});

test('every open tab shows the toast; only the syncing tab plays the sound', async ({ browser }) => {
  const { context, page: first } = await anaAtTheTickets(browser);
  const second = await context.newPage();
  await second.goto('/tickets');
  await settled(second);
  for (const page of [first, second]) await page.getByRole('heading', { level: 1 }).click();

  // The first tab took the sync lock; the second only reads the same IndexedDB.
  const [firstBefore, secondBefore] = [await sounds(first), await sounds(second)];
  const { ticket } = await handOff(second);
  for (const page of [first, second]) await expect(page.getByRole('status', { name: 'Alerts' })).toContainText(`New ticket #${ticket.number}`);
  await expect.poll(() => sounds(first)).toBeGreaterThan(firstBefore);
  expect(await sounds(second)).toBe(secondBefore);
  await context.close();
});
