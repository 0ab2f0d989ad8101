import { Agent, AgentInput, AgentPatch, ErrorBodySchema } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { conflict, notFound } from '../http/api-error.ts';
import { createRouter } from '../http/router.ts';
import type { AgentsRepo } from './agents-repo.ts';
import { requirePermission } from './auth-middleware.ts';
import { hashPassword } from './password.ts';
import type { PasswordTokens } from './password-tokens.ts';
import type { Sessions } from './sessions.ts';

export interface AgentsDeps {
  agents: AgentsRepo;
  sessions: Sessions;
  passwordTokens: PasswordTokens;
  publicUrl: string;
}

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };
const security = [{ bearer: [] }];
const IdParam = z.object({ id: z.string().min(1) });
const CreatedAgent = z.object({ agent: Agent, setPasswordUrl: z.string().nullable() });

const listRoute = createRoute({
  method: 'get',
  path: '/api/agents',
  tags: ['team'],
  summary: 'All agents (public fields)',
  security,
  responses: { 200: { content: { 'application/json': { schema: z.object({ agents: z.array(Agent) }) } }, description: 'OK' }, 401: errors },
});

const createAgentRoute = createRoute({
  method: 'post',
  path: '/api/agents',
  tags: ['team'],
  summary: 'Create or invite an agent (admins)',
  description: 'Without a password, answers a one-time set-password link.',
  security,
  middleware: [requirePermission('agents.manage')] as const,
  request: { body: { content: { 'application/json': { schema: AgentInput } }, required: true } },
  responses: {
    201: { content: { 'application/json': { schema: CreatedAgent } }, description: 'Created' },
    400: errors,
    403: errors,
    409: errors,
  },
});

const patchAgentRoute = createRoute({
  method: 'patch',
  path: '/api/agents/{id}',
  tags: ['team'],
  summary: 'Edit, deactivate or reactivate an agent (admins)',
  security,
  middleware: [requirePermission('agents.manage')] as const,
  request: { params: IdParam, body: { content: { 'application/json': { schema: AgentPatch } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ agent: Agent }) } }, description: 'Updated' },
    400: errors,
    403: errors,
    404: errors,
    409: errors,
  },
});

export function agentsRoutes(deps: AgentsDeps) {
  const router = createRouter();

  router.openapi(listRoute, async (c) => c.json({ agents: await deps.agents.list() }, 200));

  router.openapi(createAgentRoute, async (c) => {
    const input = c.req.valid('json');
    if (await deps.agents.emailTaken(input.email)) throw conflict('An agent with this e-mail already exists.', { email: 'Already in use.' });
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const agent = await deps.agents.create({ name: input.name, email: input.email, role: input.role, passwordHash });
    const setPasswordUrl = passwordHash ? null : `${deps.publicUrl}/set-password#token=${await deps.passwordTokens.issue(agent.id)}`;
    return c.json({ agent, setPasswordUrl }, 201);
  });

  router.openapi(patchAgentRoute, async (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const current = await deps.agents.get(id);
    if (!current) throw notFound('No such agent.');
    if (patch.email && (await deps.agents.emailTaken(patch.email, id))) throw conflict('An agent with this e-mail already exists.', { email: 'Already in use.' });
    const losesAdmin = current.role === 'admin' && current.active && (patch.active === false || patch.role === 'agent');
    if (losesAdmin && (await deps.agents.countActiveAdmins()) <= 1) {
      throw conflict('The last active admin cannot be removed or demoted.');
    }
    const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
    const agent = await deps.agents.update(id, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.email !== undefined && { email: patch.email }),
      ...(patch.role !== undefined && { role: patch.role }),
      ...(patch.active !== undefined && { active: patch.active }),
      ...(passwordHash !== undefined && { passwordHash }),
    });
    if (patch.active === false) await deps.sessions.revokeAllOf(id);
    else if (passwordHash !== undefined) {
      // A new password signs out every other session (an admin changing their own keeps this one).
      await deps.sessions.revokeAllOf(id, id === c.var.agent.id ? c.var.sessionTokenHash : null);
      await deps.passwordTokens.voidAllOf(id);
    }
    return c.json({ agent }, 200);
  });

  return router;
}
