import { expect, test } from '@playwright/test';
import { FakeZendesk } from '../../apps/server/test/support/zendesk/fake-zendesk.ts';
import { uniqueName, webchatVisitor } from '../support/admin.ts';
import { ADMIN, BASE_URL, FAKE_ZENDESK_PORT } from '../support/env.ts';
import { signIn } from '../support/session.ts';

let zendesk: FakeZendesk;
test.beforeAll(async () => {
  zendesk = await FakeZendesk.start({ port: FAKE_ZENDESK_PORT });
});
test.afterAll(async () => {
  await zendesk?.close();
});

// Cookie-carried requests without a JSON body must say they come from Desk's own origin (CSRF check).
const fromDesk = { headers: { origin: BASE_URL } };

test('on the Desk card an admin sends the offer of a person to Zendesk Support, and a user who accepts it gets a Zendesk ticket', async ({ page }) => {
  await signIn(page, ADMIN);
  const before = (await (await page.request.get('/api/integrations/desk')).json()) as { integration: Record<string, unknown> };
  try {
    const put = await page.request.put('/api/integrations/zendesk/support', {
      data: { subject: 'Acme help', tags: ['chatbot'], values: { subdomain: zendesk.options.subdomain, oauthToken: zendesk.options.oauthToken } },
    });
    expect(put.status()).toBe(200);
    expect((await page.request.post('/api/integrations/zendesk/support/connect', fromDesk)).status()).toBe(200);

    await page.goto('/integrations');
    const card = page.getByRole('region', { name: 'Desk', exact: true });
    await card.getByRole('button', { name: 'Edit the Desk integration' }).click();
    await expect(card.getByRole('switch', { name: 'Offer a person when the bot does not understand' })).toBeChecked();
    await card.getByLabel('Messages not understood in a row').fill('2');
    await card.getByLabel('Hand off to', { exact: true }).selectOption({ label: 'Zendesk Support' });
    await card.getByRole('button', { name: 'Save and connect' }).click();
    await expect(card.getByText('After 2 messages not understood, to Zendesk Support')).toBeVisible();

    const visitor = webchatVisitor(page.request, uniqueName('Olga Offer'));
    await visitor.say('the purple zindle wobbles');
    await visitor.say('the flimsy blorp quivers');
    await visitor.say('Yes, a person');
    await expect.poll(() => zendesk.ticketList().map((t) => t.ticket.subject)).toContain('Acme help — Asked for a person');
  } finally {
    await page.request.put('/api/integrations/desk', { data: before.integration });
    await page.request.post('/api/integrations/zendesk/support/disconnect', fromDesk);
  }
});
