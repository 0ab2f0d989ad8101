import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IntentInput, Role } from '@desk/core';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openTestDatabase, removeTestData } from './test-db.ts';
import type { FanoutBus } from '../../src/fanout/fanout-bus.ts';
import { createServices, type Services } from '../../src/services.ts';

export interface TestDesk {
  services: Services;
  app: ReturnType<typeof createApp>;
  dataDir: string;
  admin: { id: string; token: string };
  agent: { id: string; token: string };
  /** A second agent, for assignment tests. */
  other: { id: string; token: string };
  request(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A real server's parts on a file-backed SQLite in a temp dir, or on a fresh PostgreSQL database
 * (DESK_TEST_DB=postgres; see test-db.ts). Again with the same `dataDir`: a restart on the same data.
 */
export async function openTestServices(options: { env?: Record<string, string>; dataDir?: string; prefix?: string; fanout?: FanoutBus } = {}) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), options.prefix ?? 'desk-test-'));
  const config = loadConfig({ DATA_DIR: dataDir, WEB_DIST: join(dataDir, 'no-web'), ...options.env });
  const db = await openTestDatabase(dataDir, config.databaseFile);
  const services = await createServices(db, config, options.fanout);
  return { dataDir, config, db, services };
}

/** An agent with this email (created when missing), signed in. */
export async function signedInMember(services: Services, name: string, email: string, role: Role): Promise<{ id: string; token: string }> {
  const agent = (await services.agents.findCredentials(email))?.agent ?? (await services.agents.create({ name, email, role, passwordHash: null }));
  return { id: agent.id, token: (await services.sessions.create(agent.id)).token };
}

type TestRequestInit = RequestInit & { token?: string | null | undefined; json?: unknown };

/**
 * Sends requests to the app in-process, as `token` (default `defaultToken`), with `json` as the body.
 * A POST to a channel (a webhook, the web chat) only fills the inbox: with `services`, the answer is
 * handed back once the processor has stored what it brought, as it would be moments later.
 */
export function requestFor(app: ReturnType<typeof createApp>, defaultToken?: string, services?: Services) {
  return async (path: string, init: TestRequestInit = {}): Promise<Response> => {
    const { token = defaultToken, json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    let body = rest.body;
    if (json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(json);
    }
    const res = await app.request(`http://localhost${path}`, { ...rest, headers, ...(body !== undefined && { body }) });
    if (services && rest.method === 'POST' && path.startsWith('/channels/')) await services.inboxProcessor.drain();
    return res;
  };
}

/** A real server (file-backed SQLite in a temp dir) with an admin and two agents signed in. */
export async function createTestDesk(env: Record<string, string> = {}): Promise<TestDesk> {
  const { dataDir, db, services } = await openTestServices({ env });
  const app = createApp(services);
  const admin = await signedInMember(services, 'Carla Admin', 'carla@test.local', 'admin');
  const agent = await signedInMember(services, 'Ana Agent', 'ana@test.local', 'agent');
  const other = await signedInMember(services, 'Bruno Agent', 'bruno@test.local', 'agent');
  return {
    services,
    app,
    dataDir,
    admin,
    agent,
    other,
    request: requestFor(app, agent.token, services),
    async close() {
      services.outbox.stop();
      services.inboxProcessor.stop();
      await services.inboxProcessor.idle();
      await services.outbox.idle();
      await services.push.flush();
      await db.close();
      await removeTestData(dataDir);
    },
  };
}

const desk = (overrides: Partial<IntentInput['desk']> = {}): IntentInput['desk'] => ({
  enabled: false,
  agentId: null,
  status: 'new',
  priority: 'normal',
  ...overrides,
});

/** Small intents in pt, es and en, enough to exercise the bot and the hand-off rules. */
export function sampleIntents(options: { billingAgentId?: string | null } = {}): IntentInput[] {
  return [
    {
      name: 'Greeting',
      phrases: ['oi', 'olá', 'bom dia', 'boa tarde', 'hola', 'buenos días', 'buenas tardes', 'hello', 'hi', 'good morning', 'good afternoon'],
      answers: [
        'Olá! Sou o assistente virtual. Como posso ajudar?',
        '¡Hola! Soy el asistente virtual. ¿En qué puedo ayudarte?',
        'Hello! I am the virtual assistant. How can I help you?',
      ],
      desk: desk(),
    },
    {
      name: 'Opening hours',
      phrases: [
        'qual o horário de funcionamento',
        'que horas vocês abrem',
        'vocês abrem no sábado',
        '¿cuál es el horario de atención?',
        '¿a qué hora abren?',
        '¿abren los sábados?',
        'what are your opening hours',
        'what time do you open',
        'are you open on saturday',
      ],
      answers: [
        'Atendemos de segunda a sexta, das 9h às 18h.',
        'Atendemos de lunes a viernes, de 9 a 18 h.',
        'We are open Monday to Friday, 9am to 6pm.',
      ],
      desk: desk(),
    },
    {
      name: 'Talk to a person',
      phrases: [
        'quero falar com um atendente',
        'falar com uma pessoa',
        'preciso de atendimento humano',
        'quiero hablar con un agente',
        'hablar con una persona',
        'necesito atención humana',
        'I want to talk to an agent',
        'talk to a person',
        'I need a human',
      ],
      answers: ['Certo! Vou transferir você para um atendente.', '¡Claro! Te paso con un agente.', 'Sure! I am passing you to an agent.'],
      desk: desk({ enabled: true }),
    },
    {
      name: 'Billing problem',
      phrases: [
        'fui cobrado duas vezes',
        'problema com a fatura',
        'cobrança errada no cartão',
        'me cobraron dos veces',
        'problema con la factura',
        'cargo incorrecto en la tarjeta',
        'I was charged twice',
        'problem with my invoice',
        'wrong charge on my card',
      ],
      answers: [
        'Sinto muito pelo problema de cobrança. Um especialista vai cuidar disso.',
        'Lamento el problema de cobro. Un especialista se encargará.',
        'Sorry about the billing problem. A specialist will look into it.',
      ],
      desk: desk({ enabled: true, agentId: options.billingAgentId ?? null, status: 'open', priority: 'high' }),
    },
  ];
}

/** Creates the intents and waits until the bot has learnt them. */
export async function withIntents(t: TestDesk, intents: IntentInput[]) {
  const created = [];
  for (const input of intents) created.push(await t.services.intents.create(input));
  await t.services.retrainBot();
  return created;
}

/** The value, or a failed test when it is missing (instead of a non-null assertion). */
export function must<T>(value: T | null | undefined, what = 'a value'): T {
  if (value === null || value === undefined) throw new Error(`Expected ${what}`);
  return value;
}
