import { expect, type Page } from '@playwright/test';
import { STRINGS } from '../../apps/widget/src/i18n.ts';

export type WidgetLang = keyof typeof STRINGS;

/** Drives the web chat widget on the /demo site as a visitor would. */
export async function openWidget(page: Page, lang: WidgetLang) {
  const s = STRINGS[lang];
  await page.goto(`/demo?lang=${lang}`);
  await page.getByRole('button', { name: s.openChat }).click();
  const panel = page.getByRole('dialog', { name: s.title });
  await expect(panel).toBeVisible();
  const log = panel.getByRole('log');
  return {
    panel,
    log,
    /** Sends a text and waits until the server has stored it (the pending mark goes away). */
    async send(text: string) {
      await panel.getByLabel(s.messageLabel, { exact: true }).fill(text);
      await panel.getByRole('button', { name: s.send, exact: true }).click();
      await expect(log.locator('li[data-author="user"]:not([data-pending])', { hasText: text })).toBeVisible();
    },
    lastFrom(author: 'user' | 'bot' | 'agent' | 'system') {
      return log.locator(`li[data-author="${author}"]`).last();
    },
    visitorId: () => page.evaluate(() => localStorage.getItem('desk.visitorId')),
  };
}
