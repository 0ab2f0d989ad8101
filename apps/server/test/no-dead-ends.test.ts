import type { IntentInput, Message } from '@desk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCancelRequest } from '../src/conversations/bot/cancel-request.ts';
import { createTestDesk, must, sampleIntents, type TestDesk, withIntents } from './support/desk-fixture.ts';

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk();
  await withIntents(t, sampleIntents());
});
afterEach(() => t.close());

const visitor = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const say = async (text: string, externalId = visitor(1)) => await t.services.engine.handleInbound({ channel: 'webchat', externalId, text });
const texts = (messages: Message[]) => messages.map((m) => `${m.authorKind}: ${m.text}`);
const quiet = { enabled: false, agentId: null, status: 'new', priority: 'normal' } as const;

describe('disambiguation', () => {
  // Two intents a sentence can't tell apart: the bot must ask, not guess.
  const twins: IntentInput[] = [
    { name: 'Reset password', phrases: ['I forgot my password', 'reset my password', 'esqueci minha senha'], answers: ['Use "Forgot password" on the sign-in page.'], desk: quiet },
    // The same words mean either: only the user can tell.
    { name: 'Account locked', phrases: ['my account is locked', 'I forgot my password', 'minha conta está bloqueada'], answers: ['Your account unlocks itself after 15 minutes.'], desk: quiet },
  ];

  it('asks which of two close intents the user means, offering both, and takes a typed number or a label as the choice', async () => {
    await withIntents(t, twins);
    const asked = await say('I forgot my password');
    expect(asked.reply?.text).toBe('Just to be sure: do you mean…');
    const choices = must(asked.reply?.quickReplies);
    expect(choices.map((c) => c.label).sort()).toEqual(['Account locked', 'Reset password']);
    expect(asked.ticket).toBeNull();

    // The user answers with the number of a choice, as on channels without buttons…
    const second = must(choices[1]);
    const byNumber = await say('2');
    expect(byNumber.reply?.text).toBe(second.label === 'Reset password' ? 'Use "Forgot password" on the sign-in page.' : 'Your account unlocks itself after 15 minutes.');
    expect(byNumber.reply?.quickReplies).toBeUndefined();

    // …or presses a button, which sends its label (the web chat widget does exactly that).
    await say('I forgot my password', visitor(2));
    const pressed = await say('Account locked', visitor(2));
    expect(pressed.reply?.text).toBe('Your account unlocks itself after 15 minutes.');
  });

  it('a choice of a hand-off intent opens the ticket as if the user had typed it', async () => {
    await withIntents(t, [{ ...must(twins[0]), desk: { enabled: true, agentId: null, status: 'new', priority: 'high' } }, must(twins[1])]);
    await say('I forgot my password');
    const pressed = await say('Reset password');
    expect(pressed.ticket).toMatchObject({ priority: 'high', subject: expect.stringContaining('Reset password') });
    expect(texts(await t.services.messages.listByTicket(must(pressed.ticket).id))).toEqual([
      'user: I forgot my password',
      'bot: Just to be sure: do you mean…',
      'user: Reset password',
      'bot: Use "Forgot password" on the sign-in page.',
    ]);
  });

  it('a reply that is none of the choices is read as a new message', async () => {
    await withIntents(t, twins);
    await say('I forgot my password');
    expect((await say('hello')).reply?.text).toMatch(/^Hello!/);
  });
});

describe('offering a person', () => {
  it('after two messages in a row the bot did not understand, offers a person; accepting opens a fallback ticket', async () => {
    await t.services.integration.put({ subject: 'Support', tags: ['chatbot'], enabled: true });
    await say('hello');
    const first = await say('the purple zindle wobbles');
    expect(first.reply?.text).toMatch(/understand/);
    expect(first.reply?.quickReplies).toBeUndefined();
    await t.services.contacts.update(first.conversation.contactId, { designatedAgentId: t.agent.id });

    const second = await say('the flimsy blorp quivers');
    expect(second.reply?.text).toBe("Sorry, I still don't understand. Would you like to talk to a person from our team?");
    expect(second.reply?.quickReplies?.map((q) => q.label)).toEqual(['Yes, a person', 'No, thanks']);

    const accepted = await say('Yes, a person');
    const ticket = must(accepted.ticket);
    expect(ticket).toMatchObject({ subject: 'Support — Asked for a person', tags: ['chatbot', 'fallback'], assigneeId: t.agent.id, intentId: null });
    expect(accepted.conversation).toMatchObject({ mode: 'desk', activeTicketId: ticket.id });
    expect(texts(await t.services.messages.listByTicket(ticket.id))).toEqual([
      'user: hello',
      expect.stringMatching(/^bot: Hello!/),
      'user: the purple zindle wobbles',
      expect.stringMatching(/^bot: Sorry, I didn't understand/),
      'user: the flimsy blorp quivers',
      expect.stringMatching(/^bot: Sorry, I still don't understand/),
      'user: Yes, a person',
      'bot: Sure! A person from our team will answer right here shortly.',
    ]);
  });

  it('declining keeps the user with the bot, and the count starts again', async () => {
    await say('hello');
    await say('the purple zindle wobbles');
    await say('the flimsy blorp quivers');
    const declined = await say('2');
    expect(declined.reply?.text).toMatch(/^All right!/);
    expect(declined.ticket).toBeNull();
    expect((await say('qwerty asdfgh')).reply?.quickReplies).toBeUndefined();
  });

  it('offers in the user’s language, after the number of misses the integration sets, and not when switched off', async () => {
    await t.services.integration.put({ subject: 'Desk', tags: [], enabled: true, offerPerson: { enabled: true, afterMisses: 3 } });
    await say('oi');
    await say('ornitorrinco azul');
    await say('jabuticaba roxa');
    const third = await say('paralelepípedo verde');
    expect(third.reply?.text).toMatch(/^Desculpe, ainda não consegui entender/);
    expect(third.reply?.quickReplies?.map((q) => q.label)).toEqual(['Sim, uma pessoa', 'Não, obrigado']);

    await t.services.integration.put({ subject: 'Desk', tags: [], enabled: true, offerPerson: { enabled: false, afterMisses: 2 } });
    for (const text of ['xyzzy', 'plugh', 'frobozz']) expect((await say(text, visitor(3))).reply?.quickReplies).toBeUndefined();
  });
});

describe('cancelling a hand-off', () => {
  it('"never mind" before an agent answered solves the ticket with a system note and the bot is back', async () => {
    const handOff = await say('I want to talk to an agent');
    const ticket = must(handOff.ticket);
    const cancelled = await say('never mind, thanks');
    expect((await t.services.tickets.get(ticket.id))?.status).toBe('solved');
    expect(cancelled.conversation).toMatchObject({ mode: 'bot', activeTicketId: null });
    expect(cancelled.reply?.text).toMatch(/cancelled your request/);
    expect(texts(await t.services.messages.listByTicket(ticket.id)).slice(-2)).toEqual([
      'user: never mind, thanks',
      `system: The user no longer needs a person: ticket #${ticket.number} was solved. The bot answers again.`,
    ]);
    // Back with the bot: the next message is answered by it.
    expect((await say('hello')).reply?.text).toMatch(/^Hello!/);
  });

  it('once an agent has answered, "deixa pra lá" is an ordinary message in the ticket', async () => {
    const { ticket } = await say('quero falar com um atendente');
    await t.services.engine.reply({ ticketId: must(ticket).id, agentId: t.agent.id, text: 'Olá! Como posso ajudar?' });
    const result = await say('deixa pra lá');
    expect((await t.services.tickets.get(must(ticket).id))?.status).not.toBe('solved');
    expect(result.reply).toBeNull();
    expect(result.conversation.mode).toBe('desk');
  });

  it('recognises the ways people take it back in pt, es and en, and nothing else', async () => {
    for (const text of ['deixa pra lá', 'Deixa pra lá, obrigado', 'esquece', 'olvídalo', 'ya no hace falta, gracias', 'never mind', 'Nevermind!', 'forget it']) {
      expect(isCancelRequest(text), text).toBe(true);
    }
    for (const text of ['não deixa de me responder', 'I never mind waiting', 'olvidé mi contraseña', 'cancel my order 123']) {
      expect(isCancelRequest(text), text).toBe(false);
    }
  });
});
