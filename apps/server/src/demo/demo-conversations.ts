import type { TicketChange } from '@desk/core';
import type { Services } from '../services.ts';

interface Script {
  name: string;
  phone?: string;
  designated?: string;
  /** User messages, in order; agent steps reply or change the ticket that is active by then. */
  steps: ({ user: string } | { agent: string; reply: string } | { agent: string; change: TicketChange })[];
}

/** Scripted conversations played through the engine, so the demo tickets carry real transcripts. */
const SCRIPTS: Script[] = [
  {
    name: 'Maria Silva',
    phone: '+5511912345678',
    designated: 'bruno@desk.local',
    steps: [
      { user: 'Oi, bom dia!' },
      { user: 'Quero falar com um atendente, por favor' },
      { agent: 'bruno@desk.local', reply: 'Olá, Maria! Aqui é o Bruno. Como posso ajudar?' },
      { user: 'Meu pedido 4471 ainda não chegou.' },
    ],
  },
  {
    name: 'Juan Pérez',
    phone: '+5491123456789',
    steps: [{ user: 'Hola' }, { user: 'Me cobraron dos veces este mes' }],
  },
  {
    name: 'Emily Johnson',
    steps: [{ user: 'What time do you open on Saturday?' }, { user: 'Ok, I need to talk to a human about my order' }],
  },
  {
    name: 'Lucas Oliveira',
    phone: '+5521998765432',
    steps: [
      { user: 'Preciso falar com uma pessoa' },
      { agent: 'ana@desk.local', change: { assigneeId: 'ana@desk.local' } },
      { agent: 'ana@desk.local', reply: 'Oi, Lucas! Já atualizei seu endereço de entrega.' },
      { user: 'Perfeito, obrigado!' },
      { agent: 'ana@desk.local', change: { status: 'solved' } },
      { user: 'Qual o horário de funcionamento?' },
    ],
  },
  {
    name: 'Sofía García',
    phone: '+34612345678',
    designated: 'ana@desk.local',
    steps: [
      { user: '¿Puedo hablar con alguien?' },
      { agent: 'ana@desk.local', reply: '¡Hola, Sofía! ¿Me envías el número de pedido?' },
      { agent: 'ana@desk.local', change: { status: 'pending' } },
    ],
  },
  {
    name: 'Daniel Brown',
    phone: '+14155552671',
    steps: [
      { user: 'I was charged twice on my card' },
      { agent: 'ana@desk.local', reply: "Hi Daniel, I'm checking with the bank and will get back to you." },
      { agent: 'ana@desk.local', change: { status: 'on-hold', tags: ['desk', 'bank'] } },
    ],
  },
];

export async function playDemoConversations(services: Services): Promise<void> {
  const agentId = async (email: string) => (await services.agents.findCredentials(email))?.agent.id ?? null;
  for (const script of SCRIPTS) {
    const externalId = crypto.randomUUID();
    await services.contacts.create(
      { name: script.name, phone: script.phone ?? null, designatedAgentId: script.designated ? await agentId(script.designated) : null },
      { channel: 'webchat', externalId },
    );
    for (const step of script.steps) {
      if ('user' in step) {
        await services.engine.handleInbound({ channel: 'webchat', externalId, text: step.user });
        continue;
      }
      const actor = await agentId(step.agent);
      const conversation = await services.conversations.findByIdentity('webchat', externalId);
      const ticketId = conversation?.activeTicketId;
      if (!actor || !ticketId) {
        console.warn(`[desk] demo: no active ticket for ${script.name}; the bot did not hand off`);
        continue;
      }
      if ('reply' in step) await services.engine.reply({ ticketId, agentId: actor, text: step.reply });
      else {
        const change = { ...step.change };
        if (change.assigneeId) change.assigneeId = await agentId(change.assigneeId);
        await services.ticketService.changeTicket(ticketId, change, actor);
      }
    }
  }
  // A visitor who only talked to the bot: no ticket.
  const visitor = crypto.randomUUID();
  await services.engine.handleInbound({ channel: 'webchat', externalId: visitor, text: 'hello', profile: { name: 'Web visitor' } });
  await services.engine.handleInbound({ channel: 'webchat', externalId: visitor, text: 'when do you close?' });
}
