import { expect, test } from '@playwright/test';
import { agentNamed, contactsNamed, ticketsOf, uniqueName, uniquePhone, webchatVisitor } from '../support/admin.ts';
import { ADMIN } from '../support/env.ts';
import { signIn } from '../support/session.ts';

const DESIGNATED = 'Bruno Díaz';

test("a designated agent receives the hand-off from that user's web chat", async ({ page }) => {
  await signIn(page, ADMIN);
  const bruno = await agentNamed(page.request, DESIGNATED);

  // The web chat visitor becomes a user on their first message.
  const visitor = webchatVisitor(page.request, uniqueName('Paula Web'));
  await visitor.say('hello');
  await expect.poll(async () => (await contactsNamed(page.request, visitor.name)).length).toBe(1);

  // The admin finds that user, gives them a phone and designates an agent.
  await page.goto('/users');
  await page.getByLabel('Search users').fill(visitor.name);
  const row = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: visitor.name }) });
  await expect(row).toContainText('Web chat');
  await row.getByRole('button', { name: visitor.name }).click();
  const edit = page.getByRole('dialog', { name: 'Edit user' });
  await edit.getByLabel('Phone').fill(uniquePhone().typed);
  await edit.getByLabel('Designated agent').selectOption({ label: DESIGNATED });
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText(DESIGNATED);
  const [contact] = await contactsNamed(page.request, visitor.name);
  expect(contact?.designatedAgentId).toBe(bruno.id);

  // "Talk to a person" has no agent of its own: the ticket goes to the designated agent.
  await visitor.say('I want to talk to an agent');
  await expect
    .poll(async () => (await ticketsOf(page.request, visitor.name)).map((t) => ({ assigneeId: t.assigneeId, contactId: t.contactId })))
    .toEqual([{ assigneeId: bruno.id, contactId: contact?.id }]);
});
