import { expect, test } from '@playwright/test';
import { STRINGS } from '../../apps/widget/src/i18n.ts';
import { openWidget } from '../support/widget.ts';

test('the web chat asks which of two close intents the visitor means, and a pressed choice is answered like a typed one', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const chat = await openWidget(await context.newPage(), 'en');
  await chat.send(AMBIGUOUS);
  const question = chat.lastFrom('bot');
  await expect(question).toContainText('Just to be sure: do you mean');
  const choices = question.getByRole('group', { name: STRINGS.en.choices });
  await expect(choices.getByRole('button')).toHaveCount(2);
  await choices.getByRole('button', { name: 'Opening hours' }).click();
  // The choice shows as the visitor's message, and the bot answers it as the intent it names.
  await expect(chat.log.locator('li[data-author="user"]:not([data-pending])', { hasText: 'Opening hours' })).toBeVisible();
  await expect(chat.lastFrom('bot')).toContainText('Monday to Friday');
  await context.close();
});

test('after two messages the bot did not understand, the web chat offers a person, and accepting hands off', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'pt-BR' });
  const chat = await openWidget(await context.newPage(), 'pt-BR');
  await chat.send('oi');
  await expect(chat.lastFrom('bot')).toContainText('assistente virtual');
  await chat.send('meu ornitorrinco voou');
  await expect(chat.lastFrom('bot')).toContainText('Desculpe, não entendi');
  await chat.send('minha jabuticaba azulou');
  const offer = chat.lastFrom('bot');
  await expect(offer).toContainText('Quer falar com uma pessoa');
  await offer.getByRole('group', { name: STRINGS['pt-BR'].choices }).getByRole('button', { name: 'Sim, uma pessoa' }).click();
  await expect(chat.lastFrom('bot')).toContainText('Uma pessoa da equipe vai responder');
  await context.close();
});

/** Reads as both Opening hours and Talk to a person on the demo workspace. */
const AMBIGUOUS = 'hours or a person';
