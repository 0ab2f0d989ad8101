import { expect, test } from '@playwright/test';
import { agentNamed, ticketsOf, uniqueName, webchatVisitor } from '../support/admin.ts';
import { ADMIN, BASE_URL } from '../support/env.ts';
import { signIn } from '../support/session.ts';

/** Made-up words, so this intent can't take other tests' sentences (they share the bot). */
function nonsense(): [string, string] {
  const letters = 'bcdfghjklmnpqrstvwxz';
  const word = () => Array.from({ length: 7 }, (_, i) => (i % 2 ? 'aeiou'[Math.floor(Math.random() * 5)] : letters[Math.floor(Math.random() * letters.length)])).join('');
  return [word(), word()];
}

test('an intent with the Desk panel on shows the Desk icon and hands off in the chosen state', async ({ page }) => {
  const name = uniqueName('Warranty claim');
  const [w1, w2] = nonsense();
  await signIn(page, ADMIN);
  const bruno = await agentNamed(page.request, 'Bruno Díaz');
  let intentId: string | undefined;
  try {
    await page.goto('/intents');
    await page.getByRole('button', { name: 'New intent' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'New intent' })).toBeVisible();

    // Validation as the admin types, and on save.
    await page.getByRole('button', { name: 'Save and retrain' }).click();
    await expect(page.getByLabel('Name')).toBeFocused();
    await expect(page.getByText('Fill in this field.').first()).toBeVisible();

    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Training phrase 1', { exact: true }).fill(`${w1} ${w2}`);
    await page.getByRole('button', { name: 'Add phrase' }).click();
    await page.getByLabel('Training phrase 2', { exact: true }).fill(`my ${w1} ${w2} is broken`);
    await page.getByRole('button', { name: 'Add phrase' }).click();
    await page.getByLabel('Training phrase 3', { exact: true }).fill('to be removed');
    await page.getByRole('button', { name: 'Remove training phrase 3' }).click();
    await expect(page.getByLabel('Training phrase 3', { exact: true })).toHaveCount(0);
    await page.getByLabel('Answer 1', { exact: true }).fill('Sorry about that! An agent will look at your claim.');

    // The Desk panel, at the end of the editor.
    const handOff = page.getByRole('switch', { name: 'Hand off to the Desk' });
    await expect(page.getByLabel('Ticket created as')).toBeDisabled();
    await handOff.check();
    await expect(handOff).toBeChecked();
    await page.getByLabel('Agent', { exact: true }).selectOption({ label: 'Bruno Díaz' });
    await page.getByLabel('Ticket created as').selectOption({ label: 'Pending' });
    await page.getByLabel('Priority').selectOption({ label: 'Urgent' });
    await page.getByRole('button', { name: 'Save and retrain' }).click();
    await expect(page.getByText('Saved. The bot has been retrained.')).toBeVisible();
    await expect(page).toHaveURL(/[?&]intent=(?!new)/);
    intentId = new URL(page.url()).searchParams.get('intent') ?? undefined;

    // Try it: the retrained bot recognises a sentence that is not a training phrase.
    await page.getByLabel('A sentence to try').fill(`the ${w1} ${w2} stopped working`);
    await page.getByRole('button', { name: 'Try it', exact: true }).click();
    await expect(page.getByText(new RegExp(`Matches ${name} with \\d+% confidence`))).toBeVisible();

    // The list shows the Desk icon on this intent.
    await page.getByRole('button', { name: 'Back to intents' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name }) });
    await expect(row.getByRole('img', { name: 'Desk hand-off on' })).toBeVisible();
    await expect(row.getByRole('cell').first()).toHaveText('2');
    const greeting = page.getByRole('row').filter({ has: page.getByRole('button', { name: 'Greeting', exact: true }) });
    await expect(greeting.getByRole('img', { name: 'Desk hand-off on' })).toHaveCount(0);
    await expect(greeting).toContainText('Portuguese, Spanish, English');

    // A hand-off through it: the ticket is created pending, urgent, for the intent's agent.
    const visitor = webchatVisitor(page.request, uniqueName('Otto Claim'));
    await visitor.say(`my ${w1} ${w2} is broken`);
    await expect
      .poll(async () => (await ticketsOf(page.request, visitor.name)).map((t) => [t.intentId, t.status, t.priority, t.assigneeId]))
      .toEqual([[intentId, 'pending', 'urgent', bruno.id]]);
  } finally {
    // Cookie-carried and bodiless: it must say it comes from Desk's own origin (CSRF check).
    if (intentId) await page.request.delete(`/api/intents/${intentId}`, { headers: { origin: BASE_URL } });
  }
});
