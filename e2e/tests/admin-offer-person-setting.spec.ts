import { expect, type Page, test } from '@playwright/test';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';
import { openWidget } from '../support/widget.ts';

const FALLBACK = "Sorry, I didn't understand";
const OFFER = 'Would you like to talk to a person from our team?';
/** Sentences no demo intent matches. */
const MISSES = ['the purple zindle wobbles', 'my flimsy blorp quivered', 'a zoggy trumble sneezed', 'the wobbly gronk hiccuped'];

/** A new web chat visitor says each sentence and gets one bot reply to each; answers those replies. */
async function botRepliesTo(page: Page, sentences: readonly string[]): Promise<string[]> {
  const chat = await openWidget(page, 'en');
  const bot = chat.log.locator('li[data-author="bot"]');
  for (const [i, sentence] of sentences.entries()) {
    await chat.send(sentence);
    await expect(bot).toHaveCount(i + 1);
  }
  return bot.allInnerTexts();
}

async function editOfferPerson(page: Page, change: (card: ReturnType<Page['getByRole']>) => Promise<void>) {
  await page.goto('/integrations');
  const card = page.getByRole('region', { name: 'Desk', exact: true });
  await card.getByRole('button', { name: 'Edit the Desk integration' }).click();
  await change(card);
  await card.getByRole('button', { name: 'Save and connect' }).click();
  return card;
}

test('on the Desk card an admin sets after how many misses the bot offers a person, and switches the offer off', async ({ page, browser }) => {
  await signIn(page, ADMIN);
  const before = (await (await page.request.get('/api/integrations/desk')).json()) as { integration: Record<string, unknown> };
  const visitorContext = await browser.newContext({ locale: 'en-US' });
  try {
    // N = 3: two misses get the fallback, the third the offer.
    let card = await editOfferPerson(page, async (form) => {
      const offer = form.getByRole('switch', { name: 'Offer a person when the bot does not understand' });
      await offer.check();
      await form.getByLabel('Messages not understood in a row').fill('3');
    });
    await expect(card.getByText('After 3 messages not understood, to Desk')).toBeVisible();
    let replies = await botRepliesTo(await visitorContext.newPage(), MISSES.slice(0, 3));
    expect(replies[0]).toContain(FALLBACK);
    expect(replies[1]).toContain(FALLBACK);
    expect(replies[1]).not.toContain(OFFER);
    expect(replies[2]).toContain(OFFER);

    // A number out of range is refused where it is typed.
    await page.goto('/integrations');
    await card.getByRole('button', { name: 'Edit the Desk integration' }).click();
    await card.getByLabel('Messages not understood in a row').fill('0');
    await card.getByRole('button', { name: 'Save and connect' }).click();
    await expect(card.getByLabel('Messages not understood in a row')).toHaveAttribute('aria-invalid', 'true');
    await card.getByRole('button', { name: 'Cancel' }).click();

    // Off: the bot keeps answering with its fallback, however many misses.
    card = await editOfferPerson(page, async (form) => {
      const offer = form.getByRole('switch', { name: 'Offer a person when the bot does not understand' });
      await offer.uncheck();
      await expect(form.getByLabel('Messages not understood in a row')).toHaveCount(0);
    });
    await expect(card.getByText('Off', { exact: true })).toBeVisible();
    expect(((await (await page.request.get('/api/integrations/desk')).json()) as { integration: { offerPerson: { enabled: boolean } } }).integration.offerPerson.enabled).toBe(false);
    const secondVisitor = await browser.newContext({ locale: 'en-US' });
    replies = await botRepliesTo(await secondVisitor.newPage(), MISSES);
    for (const reply of replies) {
      expect(reply).toContain(FALLBACK);
      expect(reply).not.toContain(OFFER);
    }
    await secondVisitor.close();
  } finally {
    await visitorContext.close();
    await page.request.put('/api/integrations/desk', { data: before.integration });
  }
});
