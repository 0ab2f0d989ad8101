import { expect, test } from '@playwright/test';
import { seriousAxeFindings } from '../support/axe.ts';
import { ADMIN, AGENT } from '../support/env.ts';
import { agentAt, namedHandOff, openTicket } from '../support/team.ts';
import { serverData } from '../support/tickets.ts';
import { settled } from '../support/workspace.ts';

const serious = seriousAxeFindings;

test('an admin writes a canned reply; offline, an agent inserts it with / in the conversation’s language, placeholders filled, edits and sends it', async ({ browser }) => {
  const admin = await agentAt(browser, ADMIN);
  await admin.page.getByRole('link', { name: 'Canned replies' }).click();
  await expect(admin.page.getByRole('heading', { level: 1, name: 'Canned replies' })).toBeVisible();
  await admin.page.getByRole('button', { name: 'New canned reply' }).click();
  const dialog = admin.page.getByRole('dialog', { name: 'New canned reply' });
  await expect(dialog.getByRole('radio', { name: 'Shared with the team' })).toBeChecked();
  await dialog.getByLabel('Shortcut').fill('refund');
  await dialog.getByLabel('Title').fill('Refund on its way');
  await dialog.getByLabel('Text in Português (Brasil)').fill('Olá {{user.first_name}}, aqui é {{agent.name}}: o reembolso do ticket #{{ticket.number}} está a caminho.');
  await dialog.getByLabel('Text in Español').fill('Hola {{user.first_name}}, soy {{agent.name}}: el reembolso del ticket #{{ticket.number}} está en camino.');
  await dialog.getByLabel('Text in English').fill('Hi {{user.name}}, {{agent.name}} here: the refund for ticket #{{ticket.number}} is on its way.');
  expect(await serious(admin.page, 'dialog')).toEqual([]);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(admin.page.getByRole('listitem').filter({ hasText: '/refund' })).toBeVisible();
  // Pushed to the server (it syncs to every agent from there).
  await expect.poll(async () => JSON.stringify(await serverData(admin.page)).includes('"shortcut":"refund"')).toBe(true);
  expect(await serious(admin.page, 'main')).toEqual([]);

  // Ana: a Spanish conversation, her device synced, then offline.
  const ana = await agentAt(browser, AGENT);
  const { ticket, visitorTexts } = await namedHandOff(ana.page, 'Lucía Fernández', 'hola, quiero hablar con una persona');
  await openTicket(ana.page, ticket);
  await settled(ana.page);
  await ana.context.setOffline(true);

  const view = ana.page.getByRole('article');
  const reply = view.getByLabel('Reply', { exact: true });
  await reply.fill('');
  await reply.press('/');
  const list = view.getByRole('listbox', { name: 'Canned replies' });
  await expect(list).toBeVisible();
  await reply.pressSequentially('ref');
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(list.getByRole('option', { selected: true })).toContainText('/refund');
  expect(await serious(ana.page, 'article')).toEqual([]);
  // Esc closes the list and keeps the text; typing reopens it; Enter inserts.
  await reply.press('Escape');
  await expect(list).toHaveCount(0);
  await expect(reply).toHaveValue('/ref');
  await expect(view).toBeVisible();
  await reply.press('Backspace');
  await reply.press('f');
  await expect(list).toBeVisible();
  await reply.press('ArrowDown');
  await reply.press('ArrowUp');
  await reply.press('Enter');
  await expect(list).toHaveCount(0);
  const filled = `Hola Lucía, soy Ana Souza: el reembolso del ticket #${ticket.number} está en camino.`;
  await expect(reply).toHaveValue(filled);

  // Edited before sending; it goes out once the device is back online.
  await reply.press('End');
  await reply.pressSequentially(' ¡Saludos!');
  await reply.press('Enter');
  await expect(view.locator('.message-agent', { hasText: '¡Saludos!' })).toBeVisible();
  await ana.context.setOffline(false);
  await expect.poll(visitorTexts).toContain(`${filled} ¡Saludos!`);
  await Promise.all([admin.context.close(), ana.context.close()]);
});

test('at 375 px the composer’s modes, the canned list and the canned replies page fit, and an agent keeps personal replies', async ({ browser }) => {
  const ana = await agentAt(browser, AGENT, { viewport: { width: 375, height: 667 } });
  await ana.page.goto('/replies');
  await ana.page.getByRole('button', { name: 'New canned reply' }).click();
  const dialog = ana.page.getByRole('dialog', { name: 'New canned reply' });
  // Agents can't make shared replies: their own only.
  await expect(dialog.getByRole('radio', { name: 'Shared with the team' })).toBeDisabled();
  await expect(dialog.getByRole('radio', { name: 'Just mine' })).toBeChecked();
  await dialog.getByLabel('Shortcut').fill('thanks');
  await dialog.getByLabel('Title').fill('Thanks for waiting');
  await dialog.getByLabel('Text in English').fill('Thanks for waiting, {{user.first_name}}!');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const section = ana.page.getByRole('region', { name: 'Just mine' });
  await expect(section.getByRole('listitem').filter({ hasText: '/thanks' })).toBeVisible();
  expect(await ana.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  expect(await serious(ana.page, 'main')).toEqual([]);

  const { ticket } = await namedHandOff(ana.page, 'Sam Green', 'I need a human please');
  await openTicket(ana.page, ticket);
  const view = ana.page.getByRole('article');
  await expect(view.getByRole('radio', { name: 'Reply to user' })).toBeVisible();
  await expect(view.getByRole('radio', { name: 'Internal note' })).toBeVisible();
  const reply = view.getByLabel('Reply', { exact: true });
  await reply.click();
  await reply.pressSequentially('/than');
  await expect(view.getByRole('option', { selected: true })).toContainText('/thanks');
  await reply.press('Enter');
  await expect(reply).toHaveValue('Thanks for waiting, Sam!');
  expect(await ana.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await view.getByRole('radio', { name: 'Internal note' }).check();
  expect(await serious(ana.page, 'article')).toEqual([]);
  await ana.context.close();
});
