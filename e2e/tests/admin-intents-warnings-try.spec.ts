import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { uniqueName } from '../support/admin.ts';
import { ADMIN, BASE_URL } from '../support/env.ts';
import { es } from '../../apps/web/src/i18n/es.ts';
import { signIn } from '../support/session.ts';

/** Made-up words, so these intents can't take other tests' sentences (they share the bot). */
function nonsense(): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  return Array.from({ length: 7 }, (_, i) => (i % 2 ? 'aeiou'[Math.floor(Math.random() * 5)] : letters[Math.floor(Math.random() * letters.length)])).join('');
}

const bot = { enabled: false, agentId: null, status: 'new', priority: 'normal' };

async function createIntent(request: APIRequestContext, input: { name: string; phrases: string[]; answers: string[] }): Promise<string> {
  const res = await request.post('/api/intents', { data: { ...input, desk: bot } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { intent: { id: string } }).intent.id;
}

async function deleteIntents(request: APIRequestContext, ids: string[]) {
  // A cookie-carried request without a JSON body must say it comes from Desk's own origin (CSRF check).
  for (const id of ids) expect((await request.delete(`/api/intents/${id}`, { headers: { origin: BASE_URL } })).status()).toBe(204);
}

async function noSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).include('.intents-page').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('the Intents page warns about an intent with too few phrases in a language it answers in and about two intents the bot confuses, at 375 px', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page, ADMIN);
  const [a, b, c] = [nonsense(), nonsense(), nonsense()];
  const ids: string[] = [];
  const names = { thin: uniqueName('Garantia'), first: uniqueName('Gadget order'), second: uniqueName('Gadget request') };
  try {
    // Two answers (pt, en), five English phrases but only two Portuguese ones.
    ids.push(
      await createIntent(page.request, {
        name: names.thin,
        // Whole sentences: in a short one the made-up word can sway the language the bot reads.
        phrases: [
          `meu ${c} quebrou e não sei o que fazer`,
          `o ${c} não liga mais desde ontem`,
          `my ${c} broke and I do not know what to do`,
          `the ${c} does not turn on since yesterday`,
          `the ${c} stopped working this morning`,
          `my ${c} is dead and will not charge`,
          `is my ${c} still covered by the warranty?`,
        ],
        answers: ['Seu aparelho tem garantia de um ano. Vamos ajudar.', 'Your device has a one-year warranty. We will help.'],
      }),
    );
    // The same words for two intents: the bot can't tell their phrases apart.
    const shared = [`I want ${a} ${b}`, `${a} ${b} please`, `give me ${a} ${b}`, `${a} ${b} now`, `I need ${a} ${b}`, `about ${a} ${b}`];
    ids.push(await createIntent(page.request, { name: names.first, phrases: shared, answers: ['Send it to us for repair.'] }));
    ids.push(await createIntent(page.request, { name: names.second, phrases: shared.map((p) => `${p}!`), answers: ['We will replace it.'] }));

    await page.goto('/intents');
    const warnings = page.getByRole('region', { name: 'Check these intents' });
    await expect(warnings.getByText(`“${names.thin}” has an answer in Portuguese but only 2 of the 5 phrases it needs in that language.`)).toBeVisible();
    // Cross-validation (five bots trained in the background after the live one) ends in seconds;
    // the page asks again until it has.
    const confused = warnings.getByRole('listitem').filter({ hasText: 'The bot confuses' }).filter({ hasText: names.first });
    await expect(confused).toContainText(names.second, { timeout: 20_000 });
    await expect(confused).toContainText('Make their phrases more distinct, or merge the two.');
    await expect(warnings.getByRole('listitem').filter({ hasText: names.thin }).filter({ hasText: 'The bot confuses' })).toHaveCount(0);
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await noSeriousAxeViolations(page);

    // Each warning opens the intents it names.
    await confused.getByRole('button', { name: `Edit ${names.second}` }).click();
    await expect(page.getByLabel('Name')).toHaveValue(names.second);
    await page.getByRole('button', { name: 'Back to intents' }).click();

    // Fixing the thin intent (three more Portuguese phrases) clears its warning once the bot has retrained.
    const fixed = await page.request.patch(`/api/intents/${ids[0]}`, {
      data: {
        phrases: [
          `meu ${c} quebrou e não sei o que fazer`,
          `o ${c} não liga mais desde ontem`,
          `meu ${c} parou de funcionar hoje de manhã`,
          `o ${c} está com defeito e preciso de ajuda`,
          `o meu ${c} ainda está na garantia?`,
          `my ${c} broke and I do not know what to do`,
          `the ${c} does not turn on since yesterday`,
          `the ${c} stopped working this morning`,
          `my ${c} is dead and will not charge`,
          `is my ${c} still covered by the warranty?`,
        ],
      },
    });
    expect(fixed.status()).toBe(200);
    await expect(warnings.getByText(`“${names.thin}” has an answer in Portuguese`)).toHaveCount(0, { timeout: 20_000 });
    await expect(confused).toBeVisible();
  } finally {
    await deleteIntents(page.request, ids);
  }
});

test('the warnings speak the agent’s language', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'es-ES' });
  const page = await context.newPage();
  await signIn(page, ADMIN, es);
  const c = nonsense();
  const name = uniqueName('Garantía');
  const ids: string[] = [];
  try {
    ids.push(
      await createIntent(page.request, {
        name,
        phrases: [
          `mi ${c} se rompió`, `el ${c} ya no enciende`,
          `my ${c} broke`, `the ${c} does not turn on`, `${c} stopped working`, `my ${c} is dead`, `is my ${c} covered?`, `my ${c} will not start`, `the ${c} is not working at all`,
        ],
        answers: ['Tu equipo tiene un año de garantía. Te ayudamos.', 'Your device has a one-year warranty. We will help.'],
      }),
    );
    await page.goto('/intents');
    const warnings = page.getByRole('region', { name: 'Revisa estas intenciones' });
    // (A short phrase around a made-up word may read as another language: the count is 2 or 3.)
    await expect(warnings.getByText(new RegExp(`^«${name}» tiene respuesta en español, pero solo [23] de las 5 frases que necesita en ese idioma\\.$`))).toBeVisible();
    await expect(warnings.getByRole('button', { name: `Editar ${name}` })).toBeVisible();
  } finally {
    await deleteIntents(page.request, ids);
    await context.close();
  }
});

test('Try it shows the three best intents with their confidences and whether the bot would answer, ask or fall back', async ({ page }) => {
  await signIn(page, ADMIN);
  const [a, b] = [nonsense(), nonsense()];
  const ids: string[] = [];
  const names = { status: uniqueName('Parcel status'), problem: uniqueName('Parcel problem') };
  try {
    // Two intents that share "help with my …": a sentence with only those words could be either.
    ids.push(await createIntent(page.request, { name: names.status, phrases: [`where is my ${a} ${b}`, `help with my ${a} ${b}`, `track my ${a} ${b}`], answers: ['It ships in 2 days.'] }));
    ids.push(await createIntent(page.request, { name: names.problem, phrases: [`my ${a} ${b} arrived broken`, `help with my ${a} ${b}`, `the ${a} ${b} is damaged`], answers: ['Sorry! Send us a photo.'] }));
    await page.goto('/intents');
    const tryIt = page.getByRole('region', { name: 'Try it' });
    const sentence = tryIt.getByLabel('A sentence to try');
    const ranking = tryIt.getByRole('list', { name: 'Best intents' });

    // Answer: a demo intent, clearly.
    await sentence.fill('quero falar com um atendente humano');
    await tryIt.getByRole('button', { name: 'Try it', exact: true }).click();
    await expect(tryIt.getByText('The bot would answer.')).toBeVisible();
    await expect(ranking.getByRole('listitem')).toHaveCount(3);
    await expect(ranking.getByRole('listitem').first()).toContainText('Talk to a person');
    await expect(ranking.getByRole('meter', { name: 'Confidence in Talk to a person' })).toBeVisible();
    const percents = (await ranking.locator('.try-percent').allTextContents()).map((text) => Number.parseInt(text, 10));
    expect(percents).toHaveLength(3);
    expect(percents[0]).toBeGreaterThanOrEqual(60);
    // Most confident first.
    expect([...percents].sort((x, y) => y - x)).toEqual(percents);

    // Ask: two intents equally likely.
    await sentence.fill(`help with my ${a} ${b}`);
    await tryIt.getByRole('button', { name: 'Try it', exact: true }).click();
    await expect(tryIt.getByText(/^The bot would ask which one the user means: /)).toContainText(names.status);
    await expect(tryIt.getByText(/^The bot would ask which one the user means: /)).toContainText(names.problem);

    // Fall back: nothing the bot knows.
    await sentence.fill('what is the capital of France?');
    await tryIt.getByRole('button', { name: 'Try it', exact: true }).click();
    await expect(tryIt.getByText('The bot would fall back (and offer a person after repeated misses).')).toBeVisible();
    await expect(tryIt.getByText(/^No intent matches/)).toBeVisible();
  } finally {
    await deleteIntents(page.request, ids);
  }
});
