import { type Browser, expect } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en.ts';
import { es } from '../../apps/web/src/i18n/es.ts';
import { ptBR } from '../../apps/web/src/i18n/pt-BR.ts';
import { AGENT, SECOND_AGENT } from './env.ts';
import { signIn } from './session.ts';
import { ticketOfVisitor } from './tickets.ts';
import { openWidget, type WidgetLang } from './widget.ts';

/** The same story in each language Desk speaks. None of the hand-off requests is a training phrase. */
export const STORIES = [
  {
    lang: 'en',
    locale: 'en-US',
    ui: en,
    greet: 'Hi, good evening!',
    greetAnswer: /virtual assistant/,
    askHuman: 'Could I please chat with a real human being?',
    handoffAnswer: /bringing in an agent/,
    agentReply: 'Hi, Ana here. Let me look into it.',
    followUp: 'My internet has been down since yesterday',
    afterSolved: 'When do you open on Saturdays?',
    hoursAnswer: /Saturdays 9am/,
  },
  {
    lang: 'pt-BR',
    locale: 'pt-BR',
    ui: ptBR,
    greet: 'Olá, boa tarde!',
    greetAnswer: /assistente virtual/,
    askHuman: 'Quero conversar com uma pessoa de verdade',
    handoffAnswer: /chamar um atendente/,
    agentReply: 'Oi, aqui é a Ana. Vou verificar.',
    followUp: 'Minha internet caiu desde ontem',
    afterSolved: 'Vocês abrem aos sábados?',
    hoursAnswer: /sábados das 9h/,
  },
  {
    lang: 'es',
    locale: 'es-ES',
    ui: es,
    greet: '¡Hola, buenas!',
    greetAnswer: /asistente virtual/,
    askHuman: 'Quisiera hablar con una persona real, por favor',
    handoffAnswer: /Llamo a un agente/,
    agentReply: 'Hola, soy Ana. Lo reviso ahora.',
    followUp: 'Mi internet no funciona desde ayer',
    afterSolved: '¿Abren el sábado?',
    hoursAnswer: /sábados de 9 a 13/,
  },
] as const;

export type Story = (typeof STORIES)[number];

export interface StoryOptions {
  /**
   * A second agent signed in at this address (another Desk instance), with the ticket open from
   * the hand-off on: it sees the first agent's reply and the user's answer arrive live, and it is
   * the one who solves the ticket, which the first agent sees live. Without it the first agent solves.
   */
  secondAgentAt?: string;
}

/**
 * Bot, hand-off, agent and back to the bot: the visitor uses the widget on the suite's server
 * (baseURL), the agent (Ana) the PWA on the same server.
 */
export async function playConversationStory(browser: Browser, story: Story, options: StoryOptions = {}): Promise<void> {
  const visitorContext = await browser.newContext({ locale: story.locale });
  const agentContext = await browser.newContext({ locale: story.locale });
  const secondContext = options.secondAgentAt ? await browser.newContext({ locale: story.locale, baseURL: options.secondAgentAt }) : null;
  // The second agent, on the other instance, signs in first: their PWA's service worker takes over
  // (and reloads the page once) before the story needs that page.
  const second = secondContext ? await secondContext.newPage() : null;
  if (second) {
    await signIn(second, SECOND_AGENT, story.ui);
    await second.waitForFunction(() => navigator.serviceWorker.controller !== null);
  }
  const chat = await openWidget(await visitorContext.newPage(), story.lang as WidgetLang);

  await chat.send(story.greet);
  await expect(chat.lastFrom('bot')).toContainText(story.greetAnswer);
  await chat.send(story.askHuman);
  await expect(chat.lastFrom('bot')).toContainText(story.handoffAnswer);

  const agent = await agentContext.newPage();
  await signIn(agent, AGENT, story.ui);
  const { integration } = (await (await agent.request.get('/api/integrations/desk')).json()) as { integration: { subject: string; tags: string[] } };
  const ticket = await ticketOfVisitor(agent, (await chat.visitorId()) as string);
  // "Talk to a person" hands off with status new, to nobody, tagged by the integration.
  expect(ticket).toMatchObject({ subject: `${integration.subject} — Talk to a person`, status: 'new', assigneeId: null, channel: 'webchat' });
  expect(ticket.tags).toEqual(integration.tags);
  expect(ticket.intentConfidence).toBeGreaterThan(0.5);

  await agent.goto(`/tickets?ticket=${ticket.id}`);
  const view = agent.getByRole('article');
  await expect(view.getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
  await expect(view.getByLabel(story.ui['ticket.status'], { exact: true })).toHaveValue('new');
  await expect(view.getByLabel(story.ui['ticket.assignee'], { exact: true })).toHaveValue('');
  const tags = view.getByRole('region', { name: story.ui['ticket.tags'] });
  for (const tag of integration.tags) await expect(tags).toContainText(tag);
  // The transcript of the bot conversation up to the hand-off.
  const conversation = view.getByRole('region', { name: story.ui['ticket.conversation'] });
  for (const text of [story.greet, story.askHuman]) await expect(conversation).toContainText(text);
  await expect(conversation).toContainText(story.greetAnswer);
  await expect(conversation).toContainText(story.handoffAnswer);

  // The second agent, on the other instance, has the same ticket open.
  const secondView = second?.getByRole('article');
  if (second && secondView) {
    await second.goto(`/tickets?ticket=${ticket.id}`);
    await expect(secondView.getByRole('heading', { level: 2 })).toContainText(`#${ticket.number}`);
    await expect(secondView.getByRole('region', { name: story.ui['ticket.conversation'] })).toContainText(story.askHuman);
  }

  // The agent's reply reaches the widget live; the user's next message reaches the ticket live.
  await view.getByLabel(story.ui['ticket.reply'], { exact: true }).fill(story.agentReply);
  await view.getByRole('button', { name: story.ui['ticket.send'], exact: true }).click();
  await expect(chat.lastFrom('agent')).toContainText(story.agentReply);
  await chat.send(story.followUp);
  await expect(conversation).toContainText(story.followUp);
  // The bot stays silent while the ticket is active: the stored conversation ends with the user.
  const stored = (await (await agent.request.get(`/api/tickets/${ticket.id}/messages`)).json()) as { messages: { authorKind: string; text: string }[] };
  expect(stored.messages.at(-1)).toMatchObject({ authorKind: 'user', text: story.followUp });
  expect(stored.messages.filter((m) => m.authorKind === 'bot')).toHaveLength(2);

  // Solved: the user is back with the bot. With two agents, the second one solves it and the first sees it live.
  const solver = secondView ?? view;
  if (secondView) {
    const seen = secondView.getByRole('region', { name: story.ui['ticket.conversation'] });
    await expect(seen).toContainText(story.agentReply);
    await expect(seen).toContainText(story.followUp);
  }
  await solver.getByLabel(story.ui['ticket.status'], { exact: true }).selectOption('solved');
  if (secondView) await expect(view.getByLabel(story.ui['ticket.status'], { exact: true })).toHaveValue('solved');
  await expect
    .poll(async () => {
      const body = (await (await agent.request.get(`/api/tickets/${ticket.id}`)).json()) as { ticket: { status: string } };
      return body.ticket.status;
    })
    .toBe('solved');
  await chat.send(story.afterSolved);
  await expect(chat.lastFrom('bot')).toContainText(story.hoursAnswer);

  await visitorContext.close();
  await agentContext.close();
  await secondContext?.close();
}
