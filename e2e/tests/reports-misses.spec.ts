import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Browser, expect, type Page, test } from '@playwright/test';
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
test.describe.configure({ timeout: 180_000 });

const SECRET = 'reports-telegram-secret';
const quiet = { enabled: false, agentId: null, status: 'new', priority: 'normal' };
let server: OwnServer;
let telegram: TelegramStandIn;
let updateId = 5000;

test.beforeAll(async () => {
  telegram = await startTelegramStandIn();
  server = await startOwnServer({ TELEGRAM_API_URL: telegram.url, TELEGRAM_BOT_TOKEN: '123456:reports-test', TELEGRAM_WEBHOOK_SECRET: SECRET });
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
async function botMessagesRead(request: APIRequestContext): Promise<number> {
  const res = await request.get(`${server.url}/api/reports?range=today`);
  return ((await res.json()) as { bot: BotFigures }).bot.messages;
}

async function noSeriousAxeViolations(page: Page, selector: string) {
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

function rowOf(page: Page, table: string, header: string) {
  return page.locator(`#${table}`).getByRole('row').filter({ has: page.getByRole('rowheader', { name: header, exact: true }) });
}

test('Reports show exactly the traffic that went through the engine; CSV downloads; a group of misses becomes phrases the bot answers', async ({ browser }) => {
  const page = await adminPage(browser);
  const api = page.request;
  for (const intent of [
    { name: 'Greeting', phrases: ['hello', 'hi', 'good morning', 'good afternoon', 'hi there'], answers: ['Hello! How can I help?'], desk: quiet },
    { name: 'Billing problem', phrases: ['I was charged twice', 'problem with my invoice', 'wrong charge on my card', 'charged two times'], answers: ['A specialist will look into it.'], desk: { ...quiet, enabled: true } },
    { name: 'Track a package', phrases: ['track my package', 'where is my package', 'package tracking number'], answers: ['We will track your parcel.'], desk: quiet },
  ]) {
    expect((await api.post(`${server.url}/api/intents`, { data: intent })).status()).toBe(201);
  }
  // The bot retrains in the background: Try it answers with the new model.
  await expect.poll(async () => ((await (await api.post(`${server.url}/api/intents/try`, { data: { text: 'hello' } })).json()) as { decision: string }).decision).toBe('answer');

  // Web chat: two bot-only conversations and one hand-off.
  await webchat(api, crypto.randomUUID(), 'hello');
  await webchat(api, crypto.randomUUID(), 'good morning');
  await webchat(api, crypto.randomUUID(), 'I was charged twice');
  // Telegram: one bot-only conversation; two fallbacks in a row (then the offer of a person); one more fallback.
  await telegramSays(api, 7001, 'hi');
  await telegramSays(api, 7002, 'my parcel never arrived');
  await telegramSays(api, 7002, 'the parcel never arrived');
  await telegramSays(api, 7003, 'parcel never arrived!!');
  await expect.poll(() => botMessagesRead(api), { timeout: 20_000 }).toBe(7);

  // The agent (the admin here) answers the billing ticket and solves it.
  const list = (await (await api.get(`${server.url}/api/tickets`)).json()) as { tickets: { id: string }[] };
  expect(list.tickets).toHaveLength(1);
  const ticketId = list.tickets[0]?.id as string;
  expect((await api.post(`${server.url}/api/tickets/${ticketId}/messages`, { data: { text: 'Looking into it now.' } })).status()).toBe(201);
  expect((await api.patch(`${server.url}/api/tickets/${ticketId}`, { data: { status: 'solved' } })).status()).toBe(200);

  await page.goto('/reports');
  await page.getByLabel('Period').selectOption('today');
  const expected: [string, string][] = [
    ['Conversations', '6'],
    ['Messages the bot read', '7'],
    ['Handled by the bot alone', '3'],
    ['Share handled by the bot alone', '50%'],
    ['Bot answers', '4'],
    ['Not understood', '3'],
    ['Not-understood rate', '42.9%'],
    ['Disambiguations asked', '0'],
    ['Offers of a person shown', '1'],
    ['Offers of a person accepted', '0'],
    ['Hand-offs to Desk', '1'],
    ['Hand-offs to Zendesk Support', '0'],
  ];
  for (const [figure, value] of expected) await expect(rowOf(page, 'report-bot', figure).getByRole('cell')).toHaveText(value);
  await expect(rowOf(page, 'report-team', 'Tickets created').getByRole('cell')).toHaveText('1');
  await expect(rowOf(page, 'report-team', 'Tickets solved').getByRole('cell')).toHaveText('1');
  await expect(rowOf(page, 'report-agents', 'Admin').getByRole('cell').first()).toHaveText('1');

  // Each chart's data table: today's conversations per channel, hand-offs per intent, the backlog.
  const today = await page.locator('#report-volumes tbody tr').last().getByRole('rowheader').textContent();
  // Columns: web chat, Telegram, WhatsApp, Messenger, Instagram, Sunshine, total.
  await expect(rowOf(page, 'report-volumes', today ?? '').getByRole('cell')).toHaveText(['3', '3', '0', '0', '0', '0', '6']);
  await expect(rowOf(page, 'report-handoffs', 'Billing problem').getByRole('cell')).toHaveText(['1', '1', '100%']);
  await expect(rowOf(page, 'report-handoffs', 'Greeting').getByRole('cell')).toHaveText(['3', '0', '0%']);
  await expect(rowOf(page, 'report-backlog', today ?? '').getByRole('cell')).toHaveText(['0', '0', '0', '0']);
  // The charts drew (uPlot, loaded with this page only).
  await expect(page.locator('.report-chart canvas')).toHaveCount(3);

  // Every table downloads as CSV with the same numbers.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV: Bot figures' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  expect(csv).toContain('Conversations,6\r\n');
  expect(csv).toContain('Not-understood rate,0.42857142857142855\r\n');
  const volumes = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV: Conversations per day and channel' }).click();
  expect(readFileSync(await (await volumes).path(), 'utf8')).toContain(`${today},3,3,0,0,0,0,6\r\n`);

  await noSeriousAxeViolations(page, '.reports-page');

  // Offline: the last figures stay, with their time and a note.
  await page.context().setOffline(true);
  await expect(page.getByText(/^Offline: showing the figures loaded/)).toBeVisible();
  await expect(rowOf(page, 'report-bot', 'Conversations').getByRole('cell')).toHaveText('6');
  await page.context().setOffline(false);

  // The misses inbox: the three parcel messages are one group; added to "Track a package" as phrases.
  await page.goto('/misses');
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
