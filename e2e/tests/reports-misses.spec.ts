import { readFileSync } from 'node:fs';
import { type APIRequestContext, type Browser, expect, type Page, test } from '@playwright/test';
import { seriousAxeFindings } from '../support/axe.ts';
import { ADMIN } from '../support/env.ts';
import { type OwnServer, startOwnServer } from '../support/own-server.ts';
import { signIn } from '../support/session.ts';
import { startTelegramStandIn, type TelegramStandIn } from '../support/telegram-stand-in.ts';

/**
 * Known traffic through the engine on a server of this test's own (so every figure is exact):
 * web chat visitors and Telegram chats (a stand-in Bot API), with bot-only conversations, a
 * hand-off, fallbacks and an offer of a person, an agent's reply and solve; then the Reports page,
 * its tables and CSV, and the misses inbox turning a group of fallbacks into phrases the bot answers.
 */
// Ten steps on past days, each awaited before the clock moves on, then two pages and their checks.
test.describe.configure({ timeout: 300_000 });

const SECRET = 'reports-telegram-secret';
const quiet = { enabled: false, agentId: null, status: 'new', priority: 'normal' };
let server: OwnServer;
let telegram: TelegramStandIn;
let updateId = 5000;

test.beforeAll(async () => {
  telegram = await startTelegramStandIn();
  server = await startOwnServer({ DESK_TEST_CLOCK: '1', TELEGRAM_API_URL: telegram.url, TELEGRAM_BOT_TOKEN: '123456:reports-test', TELEGRAM_WEBHOOK_SECRET: SECRET });
});
test.afterAll(async () => {
  await server?.stop();
  await telegram?.close();
});

async function adminPage(browser: Browser, width = 1280): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, locale: 'en-US', viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, ADMIN);
  return page;
}

async function webchat(request: APIRequestContext, visitorId: string, text: string) {
  const res = await request.post(`${server.url}/channels/webchat/messages`, { data: { visitorId, text } });
  expect(res.ok()).toBe(true);
}

async function telegramSays(request: APIRequestContext, chatId: number, text: string) {
  updateId += 1;
  const res = await request.post(`${server.url}/channels/telegram/webhook`, {
    headers: { 'X-Telegram-Bot-Api-Secret-Token': SECRET },
    data: {
      update_id: updateId,
      message: { message_id: updateId, from: { id: chatId, is_bot: false, first_name: 'Reporter', language_code: 'en' }, chat: { id: chatId, first_name: 'Reporter', type: 'private' }, date: Math.floor(Date.now() / 1000), text },
    },
  });
  expect(res.status()).toBe(200);
}

type BotFigures = { messages: number; conversations: number };
async function noSeriousAxeViolations(page: Page, selector: string) {
  expect(await seriousAxeFindings(page, selector)).toEqual([]);
}

function rowOf(page: Page, table: string, header: string) {
  return page.locator(`#${table}`).getByRole('row').filter({ has: page.getByRole('rowheader', { name: header, exact: true }) });
}

// Days are counted in São Paulo time (UTC−3 all year since 2019): a message at 23:30 there is on
// the next day in UTC, and must be counted on its local day.
const ZONE = 'America/Sao_Paulo';
const localToday = new Date(Date.now() - 3 * 3_600_000).toISOString().slice(0, 10);
const dayAgo = (days: number) => new Date(Date.parse(`${localToday}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
/** A local time in the workspace zone, `days` before today. */
const localTime = (days: number, time: string) => `${dayAgo(days)}T${time}-03:00`;

/** The server's test clock (DESK_TEST_CLOCK=1): what happens next is stamped from `at` on; null = now. */
async function setClock(request: APIRequestContext, at: string | null) {
  const res = await request.put(`${server.url}/api/test/clock`, { data: { at } });
  expect(res.status()).toBe(200);
}

async function botFigures(request: APIRequestContext, range = 'range=30d'): Promise<BotFigures> {
  const res = await request.get(`${server.url}/api/reports?${range}`);
  return ((await res.json()) as { bot: BotFigures }).bot;
}

test('Reports show exactly the traffic of several days that went through the engine; CSV downloads; a group of misses becomes phrases the bot answers', async ({ browser }) => {
  // A story of many steps across pages (and agents): 20–30 s on a loaded 2-core machine.
  test.setTimeout(60_000);
  const page = await adminPage(browser);
  const api = page.request;
  expect((await api.put(`${server.url}/api/reports/settings`, { data: { timeZone: ZONE, missesRetentionDays: 90 } })).status()).toBe(200);
  for (const intent of [
    { name: 'Greeting', phrases: ['hello', 'hi', 'good morning', 'good afternoon', 'hi there'], answers: ['Hello! How can I help?'], desk: quiet },
    { name: 'Billing problem', phrases: ['I was charged twice', 'problem with my invoice', 'wrong charge on my card', 'charged two times'], answers: ['A specialist will look into it.'], desk: { ...quiet, enabled: true } },
    { name: 'Track a package', phrases: ['track my package', 'where is my package', 'package tracking number'], answers: ['We will track your parcel.'], desk: quiet },
  ]) {
    expect((await api.post(`${server.url}/api/intents`, { data: intent })).status()).toBe(201);
  }
  // The bot retrains in the background: Try it answers with the new model.
  await expect.poll(async () => ((await (await api.post(`${server.url}/api/intents/try`, { data: { text: 'hello' } })).json()) as { decision: string }).decision).toBe('answer');

  // Earlier days, oldest first, each stamped by the test clock; every message is read before the clock moves on.
  let read = 0;
  const stamped = async (at: string, send: () => Promise<void>) => {
    await setClock(api, at);
    await send();
    read += 1;
    await expect.poll(async () => (await botFigures(api)).messages, { timeout: 20_000 }).toBe(read);
  };
  // 9 days ago (in 30 days, not in 7): a bot-only web chat, and a Telegram message the bot did not understand.
  await stamped(localTime(9, '10:00:00'), () => webchat(api, crypto.randomUUID(), 'hello'));
  await stamped(localTime(9, '10:05:00'), () => telegramSays(api, 7101, '<i>do you sell gift cards</i>'));
  // 3 days ago at 23:30 in São Paulo (02:30 UTC two days ago): counted 3 days ago.
  await stamped(localTime(3, '23:30:00'), () => webchat(api, crypto.randomUUID(), 'good morning'));
  // 2 days ago: a Telegram greeting just after local midnight; a billing hand-off at 09:00.
  await stamped(localTime(2, '00:30:00'), () => telegramSays(api, 7102, 'hi'));
  await stamped(localTime(2, '09:00:00'), () => webchat(api, crypto.randomUUID(), 'I was charged twice'));
  const list = (await (await api.get(`${server.url}/api/tickets`)).json()) as { tickets: { id: string }[] };
  expect(list.tickets).toHaveLength(1);
  const billing = list.tickets[0]?.id as string;
  // The agent (the admin here) answers it 2 h later and solves it the next day, 26 h after it came.
  await setClock(api, localTime(2, '11:00:30'));
  expect((await api.post(`${server.url}/api/tickets/${billing}/messages`, { data: { text: 'Looking into it now.' } })).status()).toBe(201);
  await setClock(api, localTime(1, '11:00:30'));
  expect((await api.patch(`${server.url}/api/tickets/${billing}`, { data: { status: 'solved' } })).status()).toBe(200);
  await setClock(api, null);

  // Today: a bot-only web chat, a hand-off left new, two fallbacks in a row (then the offer of a person), one more.
  await webchat(api, crypto.randomUUID(), 'hello');
  await webchat(api, crypto.randomUUID(), 'charged two times');
  await telegramSays(api, 7002, 'my parcel never arrived');
  await telegramSays(api, 7002, 'the parcel never arrived');
  await telegramSays(api, 7003, 'parcel never arrived!!');
  await expect.poll(async () => (await botFigures(api)).messages, { timeout: 20_000 }).toBe(read + 5);

  await page.goto('/reports');
  // The last 7 days: 3 days ago, 2 days ago and today.
  await page.getByLabel('Period').selectOption('7d');
  const week: [string, string][] = [
    ['Conversations', '7'],
    ['Messages the bot read', '8'],
    ['Handled by the bot alone', '3'],
    ['Share handled by the bot alone', '42.9%'],
    ['Bot answers', '5'],
    ['Not understood', '3'],
    ['Not-understood rate', '37.5%'],
    ['Disambiguations asked', '0'],
    ['Offers of a person shown', '1'],
    ['Offers of a person accepted', '0'],
    ['Hand-offs to Desk', '2'],
    ['Hand-offs to Zendesk Support', '0'],
  ];
  for (const [figure, value] of week) await expect(rowOf(page, 'report-bot', figure).getByRole('cell')).toHaveText(value);
  await expect(rowOf(page, 'report-team', 'Tickets created').getByRole('cell')).toHaveText('2');
  await expect(rowOf(page, 'report-team', 'Tickets solved').getByRole('cell')).toHaveText('1');
  await expect(rowOf(page, 'report-times', 'First agent response').getByRole('cell')).toHaveText(['2 h 0 min', '2 h 0 min']);
  await expect(rowOf(page, 'report-times', 'Resolution').getByRole('cell')).toHaveText(['26 h 0 min', '26 h 0 min']);
  await expect(rowOf(page, 'report-agents', 'Admin').getByRole('cell')).toHaveText(['1', '2 h 0 min']);

  // Each chart's data table, day by day (columns: web chat, Telegram, WhatsApp, Messenger, Instagram, Sunshine, total).
  await expect(page.locator('#report-volumes tbody tr')).toHaveCount(7);
  await expect(rowOf(page, 'report-volumes', dayAgo(3)).getByRole('cell')).toHaveText(['1', '0', '0', '0', '0', '0', '1']);
  await expect(rowOf(page, 'report-volumes', dayAgo(2)).getByRole('cell')).toHaveText(['1', '1', '0', '0', '0', '0', '2']);
  await expect(rowOf(page, 'report-volumes', dayAgo(1)).getByRole('cell')).toHaveText(['0', '0', '0', '0', '0', '0', '0']);
  await expect(rowOf(page, 'report-volumes', localToday).getByRole('cell')).toHaveText(['2', '2', '0', '0', '0', '0', '4']);
  await expect(rowOf(page, 'report-handoffs', 'Billing problem').getByRole('cell')).toHaveText(['2', '2', '100%']);
  await expect(rowOf(page, 'report-handoffs', 'Greeting').getByRole('cell')).toHaveText(['3', '0', '0%']);
  // Backlog at the end of each day (new, open, pending, on hold): the billing ticket new for a day, today's new one.
  await expect(rowOf(page, 'report-backlog', dayAgo(3)).getByRole('cell')).toHaveText(['0', '0', '0', '0']);
  await expect(rowOf(page, 'report-backlog', dayAgo(2)).getByRole('cell')).toHaveText(['1', '0', '0', '0']);
  await expect(rowOf(page, 'report-backlog', dayAgo(1)).getByRole('cell')).toHaveText(['0', '0', '0', '0']);
  await expect(rowOf(page, 'report-backlog', localToday).getByRole('cell')).toHaveText(['1', '0', '0', '0']);
  // The charts drew (uPlot, loaded with this page only).
  await expect(page.locator('.report-chart canvas')).toHaveCount(3);

  // Every table downloads as CSV with the same numbers.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV: Bot figures' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  expect(csv).toContain('Conversations,7\r\n');
  expect(csv).toContain('Not-understood rate,0.375\r\n');
  const volumes = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV: Conversations per day and channel' }).click();
  const volumesCsv = readFileSync(await (await volumes).path(), 'utf8');
  expect(volumesCsv).toContain(`${dayAgo(3)},1,0,0,0,0,0,1\r\n`);
  expect(volumesCsv).toContain(`${localToday},2,2,0,0,0,0,4\r\n`);

  // The last 30 days add 9 days ago: one more bot-only conversation and one more miss.
  await page.getByLabel('Period').selectOption('30d');
  const month: [string, string][] = [
    ['Conversations', '9'],
    ['Messages the bot read', '10'],
    ['Handled by the bot alone', '4'],
    ['Share handled by the bot alone', '44.4%'],
    ['Bot answers', '6'],
    ['Not understood', '4'],
    ['Not-understood rate', '40%'],
    ['Hand-offs to Desk', '2'],
  ];
  for (const [figure, value] of month) await expect(rowOf(page, 'report-bot', figure).getByRole('cell')).toHaveText(value);
  await expect(page.locator('#report-volumes tbody tr')).toHaveCount(30);
  await expect(rowOf(page, 'report-volumes', dayAgo(9)).getByRole('cell')).toHaveText(['1', '1', '0', '0', '0', '0', '2']);
  await expect(rowOf(page, 'report-handoffs', 'Greeting').getByRole('cell')).toHaveText(['4', '0', '0%']);
  await expect(rowOf(page, 'report-team', 'Tickets created').getByRole('cell')).toHaveText('2');

  await noSeriousAxeViolations(page, '.reports-page');

  // Offline: the last figures stay, with their time and a note.
  await page.context().setOffline(true);
  await expect(page.getByText(/^Offline: showing the figures loaded/)).toBeVisible();
  await expect(rowOf(page, 'report-bot', 'Conversations').getByRole('cell')).toHaveText('9');
  await page.context().setOffline(false);

  // The misses inbox. The bot-only conversation of 9 days ago opens as a read-only transcript, its markup as text.
  await page.goto('/misses');
  const giftCards = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /gift cards/ }) });
  await giftCards.getByRole('link', { name: 'Open the conversation of “<i>do you sell gift cards</i>”' }).click();
  const transcript = page.locator('.miss-conversation-page');
  await expect(page.getByRole('heading', { name: 'Conversation with the bot', level: 1 })).toBeVisible();
  await expect(transcript.getByText(/Telegram · Reporter/)).toBeVisible();
  const messages = transcript.getByRole('listitem');
  await expect(messages).toHaveCount(2);
  await expect(messages.first()).toHaveAttribute('data-author', 'user');
  await expect(messages.first().locator('.text')).toHaveText('<i>do you sell gift cards</i>');
  await expect(transcript.locator('.text i')).toHaveCount(0);
  await expect(messages.last()).toHaveAttribute('data-author', 'bot');
  await expect(transcript.getByRole('textbox')).toHaveCount(0);
  await noSeriousAxeViolations(page, '.miss-conversation-page');
  // On a phone: nothing wider than the screen.
  await page.setViewportSize({ width: 375, height: 800 });
  await expect(messages.first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('link', { name: 'Back to Misses' }).click();
  await giftCards.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('status').filter({ hasText: '1 message dismissed.' })).toBeVisible();

  // Today's three parcel messages are one group; added to "Track a package" as phrases.
  const group = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /parcel never arrived/ }) });
  await expect(group.getByRole('heading')).toContainText('3 messages');
  await expect(group.getByRole('list', { name: 'Examples' }).getByRole('listitem')).toHaveCount(3);
  await noSeriousAxeViolations(page, '.misses-page');
  await group.getByLabel('Intent').selectOption({ label: 'Track a package' });
  await group.getByRole('button', { name: 'Add as phrases' }).click();
  await expect(page.getByRole('status').filter({ hasText: '3 messages added to “Track a package”.' })).toBeVisible();
  await expect(page.getByText('Nothing to review: the bot understood every message.')).toBeVisible();

  // A new message like them now gets the intent's answer.
  await expect.poll(async () => ((await (await api.post(`${server.url}/api/intents/try`, { data: { text: 'my parcel never arrived yet' } })).json()) as { answer: string }).answer).toBe('We will track your parcel.');
  await telegramSays(api, 7004, 'my parcel never arrived yet');
  await expect.poll(() => telegram.sent.filter((m) => m.chatId === '7004').map((m) => m.text), { timeout: 20_000 }).toEqual(['We will track your parcel.']);
});

test('both pages work at 375 px, and agents see the team view without the misses inbox', async ({ browser }) => {
  const page = await adminPage(browser, 375);
  await page.goto('/reports');
  await expect(page.locator('#report-bot')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await noSeriousAxeViolations(page, '.reports-page');
  await page.goto('/misses');
  await expect(page.getByRole('heading', { name: 'Misses', level: 1 })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  // An agent: the team view and their own row, no bot figures, no misses inbox.
  const agent = { email: 'rita@reports.test', password: 'rita-reports-password' };
  const created = await page.request.post(`${server.url}/api/agents`, { data: { name: 'Rita Agent', role: 'agent', ...agent } });
  expect(created.status()).toBe(201);
  const context = await browser.newContext({ baseURL: server.url, locale: 'en-US', viewport: { width: 375, height: 800 } });
  const agentPage = await context.newPage();
  await signIn(agentPage, agent);
  const nav = agentPage.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Reports' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Misses' })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Reports' }).click();
  await expect(rowOf(agentPage, 'report-agents', 'Rita Agent').getByRole('cell')).toHaveText(['0', '—']);
  await expect(agentPage.locator('#report-bot')).toHaveCount(0);
  await expect(agentPage.locator('#report-team')).toBeVisible();
  expect((await agentPage.request.get(`${server.url}/api/misses`)).status()).toBe(403);
  await context.close();
});
