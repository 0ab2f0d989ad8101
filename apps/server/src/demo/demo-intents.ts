import type { IntentInput } from '@desk/core';

const bot = { enabled: false, agentId: null, status: 'new', priority: 'normal' } as const;

/** The demo workspace's intents, each with phrases and answers in pt-BR, es and en. */
export function demoIntents(billingAgentId: string | null): IntentInput[] {
  return [
    {
      name: 'Greeting',
      phrases: [
        'oi', 'olá', 'bom dia', 'boa tarde', 'boa noite', 'oi, tudo bem?',
        'hola', 'buenos días', 'buenas tardes', 'buenas noches', 'hola, ¿qué tal?',
        'hello', 'hi', 'hey', 'good morning', 'good afternoon', 'hi there',
      ],
      answers: [
        'Olá! Sou a assistente virtual da Acme. Posso ajudar com horários, cobranças ou chamar um atendente.',
        '¡Hola! Soy la asistente virtual de Acme. Puedo ayudarte con horarios, cobros o llamar a un agente.',
        "Hello! I'm Acme's virtual assistant. I can help with opening hours, billing or bring in an agent.",
      ],
      desk: bot,
    },
    {
      name: 'Opening hours',
      phrases: [
        'qual o horário de funcionamento?', 'que horas vocês abrem?', 'que horas vocês fecham?', 'vocês abrem no sábado?', 'qual o horário de atendimento?',
        '¿cuál es el horario de atención?', '¿a qué hora abren?', '¿a qué hora cierran?', '¿abren los sábados?', '¿cuál es su horario?',
        'what are your opening hours?', 'what time do you open?', 'when do you close?', 'are you open on saturday?', 'what are your business hours?',
      ],
      answers: [
        'Atendemos de segunda a sexta, das 9h às 18h, e aos sábados das 9h às 13h (horário de Brasília).',
        'Atendemos de lunes a viernes, de 9 a 18 h, y los sábados de 9 a 13 h (hora de Brasilia).',
        "We're open Monday to Friday, 9am to 6pm, and Saturdays 9am to 1pm (Brasília time).",
      ],
      desk: bot,
    },
    {
      name: 'Talk to a person',
      phrases: [
        'quero falar com um atendente', 'falar com uma pessoa', 'preciso de atendimento humano', 'posso falar com alguém?', 'me transfere para um humano',
        'quiero hablar con un agente', 'hablar con una persona', 'necesito atención humana', '¿puedo hablar con alguien?', 'pásame con un humano',
        'I want to talk to an agent', 'talk to a person', 'I need a human', 'can I speak to someone?', 'transfer me to a real person',
      ],
      answers: [
        'Certo! Vou chamar um atendente, que responde por aqui mesmo em instantes.',
        '¡Claro! Llamo a un agente, que te responderá aquí mismo en breve.',
        "Sure! I'm bringing in an agent, who will answer right here shortly.",
      ],
      desk: { enabled: true, agentId: null, status: 'new', priority: 'normal' },
    },
    {
      name: 'Billing problem',
      phrases: [
        'fui cobrado duas vezes', 'problema com a minha fatura', 'cobrança errada no cartão', 'quero contestar uma cobrança', 'o valor da fatura está errado',
        'me cobraron dos veces', 'problema con mi factura', 'cargo incorrecto en la tarjeta', 'quiero reclamar un cobro', 'el importe de la factura está mal',
        'I was charged twice', 'problem with my invoice', 'wrong charge on my card', 'I want to dispute a charge', 'my bill amount is wrong',
      ],
      answers: [
        'Sinto muito pelo problema de cobrança! Encaminhei para nossa equipe financeira, que já vai falar com você.',
        '¡Lamento el problema con el cobro! Lo pasé a nuestro equipo de facturación, que te escribirá enseguida.',
        "Sorry about the billing problem! I've passed it to our billing team, who will be with you shortly.",
      ],
      desk: { enabled: true, agentId: billingAgentId, status: 'open', priority: 'high' },
    },
  ];
}
