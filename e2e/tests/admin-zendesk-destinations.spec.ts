import { expect, type Page, test } from '@playwright/test';
import { FakeSunshine } from '../../apps/server/test/support/zendesk/fake-sunshine.ts';
import { FakeZendesk } from '../../apps/server/test/support/zendesk/fake-zendesk.ts';
import { uniqueName, webchatVisitor } from '../support/admin.ts';
import { ADMIN, BASE_URL, FAKE_SUNSHINE_PORT, FAKE_ZENDESK_PORT } from '../support/env.ts';
import { signIn } from '../support/session.ts';

let zendesk: FakeZendesk;
let sunshine: FakeSunshine;
test.beforeAll(async () => {
  zendesk = await FakeZendesk.start({ port: FAKE_ZENDESK_PORT });
  sunshine = await FakeSunshine.start({ port: FAKE_SUNSHINE_PORT });
});
test.afterAll(async () => {
  await zendesk?.close();
  await sunshine?.close();
});

/** Made-up words, so these intents can't take other tests' sentences (they share the bot). */
function nonsense(): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  const word = () => Array.from({ length: 7 }, (_, i) => (i % 2 ? 'aeiou'[Math.floor(Math.random() * 5)] : letters[Math.floor(Math.random() * letters.length)])).join('');
  return `${word()} ${word()}`;
}

async function createIntent(page: Page, name: string, phrase: string, destination: 'Zendesk Support' | 'Zendesk messaging', groupId?: string) {
  await page.goto('/intents');
  await page.getByRole('button', { name: 'New intent' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Training phrase 1', { exact: true }).fill(phrase);
  await page.getByRole('button', { name: 'Add phrase' }).click();
  await page.getByLabel('Training phrase 2', { exact: true }).fill(`my ${phrase} needs a person`);
  await page.getByLabel('Answer 1', { exact: true }).fill('Passing you to our team.');
  await page.getByRole('switch', { name: 'Hand off to the Desk' }).check();
  const destinationField = page.getByLabel('Hand off to', { exact: true });
  await destinationField.selectOption({ label: destination });
  // The agent is Desk's; Zendesk Support offers a group instead.
  await expect(page.getByLabel('Agent', { exact: true })).toHaveCount(0);
  if (groupId) {
    await page.getByLabel('Zendesk group id (optional)').fill('12ab');
    await page.getByRole('button', { name: 'Save and retrain' }).click();
    await expect(page.getByText('Enter the group’s number, digits only.')).toBeVisible();
    await page.getByLabel('Zendesk group id (optional)').fill(groupId);
  }
  await page.getByLabel('Priority').selectOption({ label: 'High' });
  await page.getByRole('button', { name: 'Save and retrain' }).click();
  await expect(page.getByText('Saved. The bot has been retrained.')).toBeVisible();
  const id = new URL(page.url()).searchParams.get('intent') as string;
  await page.getByRole('button', { name: 'Back to intents' }).click();
  return id;
}

test('an admin connects Zendesk Support and Zendesk messaging and sends one intent to each', async ({ page }) => {
  const intents: string[] = [];
  await signIn(page, ADMIN);
  try {
    await page.goto('/integrations');
    const support = page.getByRole('region', { name: 'Zendesk Support' });
    await expect(support.getByText('Zendesk stops accepting API tokens on 30 April 2027')).toBeVisible();
    await support.getByLabel('Subdomain (acme for acme.zendesk.com)').fill('acme');
    await support.getByLabel('OAuth access token').fill('wrong-token-000');
    await support.getByRole('button', { name: 'Save and connect Zendesk Support' }).click();
    await expect(support.getByRole('alert')).toContainText("Couldn't authenticate you");
    await support.getByLabel('OAuth access token').fill(zendesk.options.oauthToken);
    // The card's own checks speak the agent's language (the shared schema words them in English).
    await support.getByLabel('Subject', { exact: true }).fill('');
    await support.getByRole('button', { name: 'Save and connect Zendesk Support' }).click();
    await expect(support.getByText('Fill in this field.')).toBeVisible();
    await support.getByLabel('Subject', { exact: true }).fill('Acme help');
    await support.getByRole('button', { name: 'Save and connect Zendesk Support' }).click();
    await expect(support.getByRole('status')).toContainText('Connected as Desk API');
    await expect(support.getByText('Connected', { exact: true })).toBeVisible();
    // The token is write-only: the page shows it masked, never in full.
    await expect(support.getByLabel('OAuth access token')).toHaveValue('');
    await expect(support.getByLabel('OAuth access token')).toHaveAttribute('placeholder', /^••••/);
    expect(zendesk.webhooks.size).toBeGreaterThan(0);

    const messaging = page.getByRole('region', { name: 'Zendesk messaging' });
    await messaging.getByLabel('Sunshine Conversations app id').fill(sunshine.options.appId);
    await messaging.getByLabel('API key id').fill(sunshine.options.keyId);
    await messaging.getByLabel('API key secret').fill(sunshine.options.keySecret);
    await messaging.getByRole('button', { name: 'Save and connect Zendesk messaging' }).click();
    await expect(messaging.getByRole('status')).toContainText('Connected');
    await expect(messaging.getByText('Connected', { exact: true })).toBeVisible();

    const ticketPhrase = nonsense();
    const chatPhrase = nonsense();
    const ticketIntent = uniqueName('Zendesk ticket');
    const chatIntent = uniqueName('Zendesk chat');
    intents.push(await createIntent(page, ticketIntent, ticketPhrase, 'Zendesk Support', '360001'));
    intents.push(await createIntent(page, chatIntent, chatPhrase, 'Zendesk messaging'));

    // The list's Desk column says where each one goes.
    const rowOf = (name: string) => page.getByRole('row').filter({ has: page.getByRole('button', { name }) });
    await expect(rowOf(ticketIntent)).toContainText('Zendesk Support');
    await expect(rowOf(chatIntent)).toContainText('Zendesk messaging');

    // One visitor reaches a Zendesk ticket, the other a Zendesk agent.
    const ticketVisitor = webchatVisitor(page.request, uniqueName('Tina Ticket'));
    await ticketVisitor.say(`my ${ticketPhrase} needs a person`);
    await expect.poll(() => zendesk.ticketList().map((t) => [t.ticket.subject, t.ticket.group_id, t.ticket.priority])).toContainEqual([`Acme help — ${ticketIntent}`, 360001, 'high']);
    // The user's page in Desk links to the Zendesk ticket.
    const ticketId = zendesk.ticketList().find((t) => String(t.ticket.subject).endsWith(ticketIntent))?.ticket.id;
    await page.goto('/users');
    await page.getByRole('button', { name: ticketVisitor.name }).click();
    await expect(page.getByRole('link', { name: `Zendesk ticket #${ticketId}` })).toHaveAttribute('href', `https://acme.zendesk.com/agent/tickets/${ticketId}`);
    const chatVisitor = webchatVisitor(page.request, uniqueName('Carl Chat'));
    await chatVisitor.say(`my ${chatPhrase} needs a person`);
    await expect
      .poll(() => [...sunshine.conversations.values()].flatMap((c) => c.passControl.map((p) => p.metadata['dataCapture.systemField.requester.name'])))
      .toContain(chatVisitor.name);

    // Disconnected later: the list warns that the intent now hands off to the Desk.
    await page.goto('/integrations');
    await support.getByRole('button', { name: 'Disconnect Zendesk Support' }).click();
    await expect(support.getByRole('status')).toContainText('Zendesk Support disconnected');
    await page.goto('/intents');
    await expect(rowOf(ticketIntent).getByRole('note')).toHaveText('Zendesk Support is disconnected: this intent hands off to the Desk.');
    await expect(rowOf(chatIntent).getByRole('note')).toHaveCount(0);
  } finally {
    // Cookie-carried and bodiless: they must say they come from Desk's own origin (CSRF check).
    const fromDesk = { headers: { origin: BASE_URL } };
    for (const id of intents) await page.request.delete(`/api/intents/${id}`, fromDesk);
    await page.request.post('/api/integrations/zendesk/messaging/disconnect', fromDesk);
    await page.request.post('/api/integrations/zendesk/support/disconnect', fromDesk);
  }
});
