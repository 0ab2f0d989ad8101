import { afterEach, beforeEach, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.ts';
import { createTestDesk, type TestDesk } from './support/desk-fixture.ts';

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk();
});
afterEach(() => t.close());

it('seeds intents, contacts and tickets in several states through the engine, once', async () => {
  expect(await seedDemo(t.services, 'demo password 123')).toBe(true);
  expect(await seedDemo(t.services, 'demo password 123')).toBe(false);
  const { tickets } = await t.services.tickets.list({ statuses: [], priorities: [], assignees: [], text: '' }, { limit: 100, offset: 0 });
  const ana = (await t.services.agents.findCredentials('ana@desk.local'))?.agent.id;
  const bruno = (await t.services.agents.findCredentials('bruno@desk.local'))?.agent.id;
  const byRequester = Object.fromEntries(tickets.map((ticket) => [ticket.requester.name, ticket]));
  expect(byRequester['Maria Silva']).toMatchObject({ status: 'open', assigneeId: bruno, subject: 'Acme Support — Talk to a person' });
  expect(byRequester['Juan Pérez']).toMatchObject({ status: 'open', priority: 'high', assigneeId: ana, tags: ['desk', 'chatbot'] });
  expect(byRequester['Emily Johnson']).toMatchObject({ status: 'new', assigneeId: null });
  expect(byRequester['Lucas Oliveira']).toMatchObject({ status: 'solved' });
  expect(byRequester['Sofía García']).toMatchObject({ status: 'pending', assigneeId: ana });
  expect(byRequester['Daniel Brown']).toMatchObject({ status: 'on-hold', priority: 'high' });
  expect(await t.services.intents.list()).toHaveLength(4);
  expect((await t.services.contacts.list({ limit: 100, offset: 0 })).length).toBeGreaterThanOrEqual(6);
});
