import { randomUUID } from 'node:crypto';
import { type Browser, type BrowserContext, expect, type Page } from '@playwright/test';
import { AGENT } from './env.ts';
import { signIn } from './session.ts';
import { ticketOfVisitor } from './tickets.ts';
import { settled } from './workspace.ts';

export const BRUNO = { email: 'bruno@desk.local', password: AGENT.password, name: 'Bruno Díaz' };
export const CARLA = { email: 'carla@desk.local', password: AGENT.password, name: 'Carla Smith' };

/** One agent in their own browser, signed in, with the ticket list open and synced. */
export async function agentAt(browser: Browser, account: { email: string; password: string }, options: { viewport?: { width: number; height: number } } = {}) {
  const context: BrowserContext = await browser.newContext(options.viewport ? { viewport: options.viewport } : {});
  const page = await context.newPage();
  await signIn(page, account);
  await page.goto('/tickets');
  await settled(page);
  return { context, page };
}

/** A web chat visitor with a name, handed to the Desk in the language they write in. */
export async function namedHandOff(page: Page, name: string, text: string) {
  const visitorId = randomUUID();
  const res = await page.request.post('/channels/webchat/messages', { data: { visitorId, text, name } });
  expect(res.ok()).toBe(true);
  const token = ((await res.json()) as { visitorToken: string }).visitorToken;
  const ticket = await ticketOfVisitor(page, visitorId);
  const visitorTexts = async () => {
    const list = await page.request.get('/channels/webchat/messages', { headers: { 'X-Visitor-Token': token } });
    expect(list.ok()).toBe(true);
    return ((await list.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
  };
  return { visitorId, token, ticket, visitorTexts };
}

/** Opens a ticket in the agent's PWA and waits for its view. */
export async function openTicket(page: Page, ticket: { id: string; number: number }) {
  await page.goto(`/tickets?ticket=${ticket.id}`);
  await expect(page.getByRole('article').getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
}
