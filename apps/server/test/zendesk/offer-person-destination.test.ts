import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChannelDesk, eventually } from '../support/channel-desk.ts';
import { FakeZendesk } from '../support/zendesk/fake-zendesk.ts';
import { connectSupport, startZendeskDesk, webchatUser } from '../support/zendesk/zendesk-desk.ts';

let zendesk: FakeZendesk;
let desk: ChannelDesk;

beforeEach(async () => {
  zendesk = await FakeZendesk.start();
  desk = await startZendeskDesk({ zendesk, standIns: {} });
});
afterEach(async () => {
  await desk.close({ remove: true });
  await zendesk.close();
});

async function chooseOfferDestination(destination: string) {
  const res = await desk.request('/api/integrations/desk', {
    method: 'PUT',
    token: desk.admin.token,
    json: { subject: 'Acme', tags: ['acme'], enabled: true, offerPerson: { enabled: true, afterMisses: 2, destination } },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { integration: { offerPerson: { destination: string } } }).integration;
}

/** Two messages the bot can't read, then the user takes the offered person. */
async function missTwiceAndAccept(visitorId: string) {
  const user = webchatUser(desk, visitorId);
  await user.say('the purple zindle wobbles');
  await user.say('the flimsy blorp quivers');
  await eventually(async () => (await user.received()).some((t) => t.includes('talk to a person')), 'the offer of a person');
  await user.say('Yes, a person');
  return user;
}

describe('the offer of a person goes where the Desk card says', () => {
  it('to Zendesk Support when chosen there: a Zendesk ticket with the transcript, and no Desk ticket', async () => {
    await connectSupport(desk, zendesk);
    expect((await chooseOfferDestination('zendesk_support')).offerPerson.destination).toBe('zendesk_support');

    const user = await missTwiceAndAccept('7e1f0c2a-5b6d-4c3e-8f9a-0b1c2d3e4f50');
    const ticket = await eventually(() => zendesk.ticketList()[0], 'the Zendesk ticket');
    expect(ticket.ticket.subject).toBe('Acme Zendesk — Asked for a person');
    expect(ticket.comments[0]).toMatchObject({ public: false });
    expect(ticket.comments[0]?.body).toContain('the flimsy blorp quivers');
    const conversation = await eventually(async () => {
      const found = await desk.services.conversations.findByIdentity(user.channel, user.externalId);
      return found?.mode === 'zendesk' ? found : undefined;
    }, 'zendesk mode');
    expect(conversation.activeTicketId).toBeNull();
  });

  it('to Desk when the chosen Zendesk integration is not connected: a Desk ticket tagged fallback', async () => {
    await chooseOfferDestination('zendesk_support');
    const user = await missTwiceAndAccept('7e1f0c2a-5b6d-4c3e-8f9a-0b1c2d3e4f51');
    const conversation = await eventually(async () => {
      const found = await desk.services.conversations.findByIdentity(user.channel, user.externalId);
      return found?.mode === 'desk' ? found : undefined;
    }, 'desk mode');
    const ticket = await desk.services.tickets.get(conversation.activeTicketId as string);
    expect(ticket).toMatchObject({ subject: 'Acme — Asked for a person', tags: ['acme', 'fallback'] });
    expect(zendesk.ticketList()).toHaveLength(0);
  });

  it('refuses a destination that does not exist', async () => {
    const res = await desk.request('/api/integrations/desk', {
      method: 'PUT',
      token: desk.admin.token,
      json: { subject: 'Acme', tags: [], enabled: true, offerPerson: { enabled: true, afterMisses: 2, destination: 'freshdesk' } },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();
  });
});
