import { Intent, IntentInput, IntentPatch } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import type { AgentsRepo } from '../accounts/agents-repo.ts';
import { conflict, invalid, notFound } from '../http/api-error.ts';
import { bearer, errorResponse as errors, IdParam, jsonBody, jsonResponse } from '../http/openapi-common.ts';
import { createRouter } from '../http/router.ts';
import type { IntentsRepo } from './intents-repo.ts';

export interface IntentsDeps {
  intents: IntentsRepo;
  agents: AgentsRepo;
  /** Called after every change; the bot keeps answering with its previous model until the new one is trained. */
  startRetrainBot: () => Promise<void>;
}

const read = [requirePermission('intents.read')];
const manage = [requirePermission('intents.manage')];
const IntentBody = z.object({ intent: Intent });

const listRoute = createRoute({
  method: 'get', path: '/api/intents', tags: ['intents'], summary: 'All intents', security: bearer, middleware: read,
  responses: { 200: jsonResponse(z.object({ intents: z.array(Intent) })), 401: errors, 403: errors },
});
const getRoute = createRoute({
  method: 'get', path: '/api/intents/{id}', tags: ['intents'], summary: 'One intent', security: bearer, middleware: read,
  request: { params: IdParam },
  responses: { 200: jsonResponse(IntentBody), 401: errors, 403: errors, 404: errors },
});
const createIntentRoute = createRoute({
  method: 'post', path: '/api/intents', tags: ['intents'], summary: 'Create an intent (admins)', security: bearer, middleware: manage,
  request: jsonBody(IntentInput),
  responses: { 201: jsonResponse(IntentBody, 'Created'), 400: errors, 401: errors, 403: errors, 409: errors },
});
const patchRoute = createRoute({
  method: 'patch', path: '/api/intents/{id}', tags: ['intents'], summary: 'Change an intent (admins)', security: bearer, middleware: manage,
  request: { params: IdParam, ...jsonBody(IntentPatch) },
  responses: { 200: jsonResponse(IntentBody), 400: errors, 401: errors, 403: errors, 404: errors, 409: errors },
});
const deleteRoute = createRoute({
  method: 'delete', path: '/api/intents/{id}', tags: ['intents'], summary: 'Delete an intent (admins)', security: bearer, middleware: manage,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, 401: errors, 403: errors, 404: errors },
});

export function intentsRoutes(deps: IntentsDeps) {
  const router = createRouter();
  // Requests keep the previous model while the new one trains; the intents are read before answering.
  const retrain = () => deps.startRetrainBot();
  const checkAgent = async (agentId: string | null | undefined) => {
    if (agentId && !(await deps.agents.isActive(agentId))) throw invalid('Pick an active agent.', { 'desk.agentId': 'Pick an active agent.' });
  };
  const checkName = async (name: string | undefined, exceptId?: string) => {
    if (name && (await deps.intents.nameTaken(name, exceptId))) throw conflict('An intent with this name already exists.', { name: 'Already in use.' });
  };

  router.openapi(listRoute, async (c) => c.json({ intents: await deps.intents.list() }, 200));

  router.openapi(getRoute, async (c) => {
    const intent = await deps.intents.get(c.req.valid('param').id);
    if (!intent) throw notFound('No such intent.');
    return c.json({ intent }, 200);
  });

  router.openapi(createIntentRoute, async (c) => {
    const input = c.req.valid('json');
    await checkName(input.name);
    await checkAgent(input.desk.agentId);
    const intent = await deps.intents.create(input);
    await retrain();
    return c.json({ intent }, 201);
  });

  router.openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    if (!(await deps.intents.get(id))) throw notFound('No such intent.');
    await checkName(patch.name, id);
    await checkAgent(patch.desk?.agentId);
    const intent = await deps.intents.update(id, patch);
    await retrain();
    return c.json({ intent }, 200);
  });

  router.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.intents.get(id))) throw notFound('No such intent.');
    await deps.intents.delete(id);
    await retrain();
    return c.body(null, 204);
  });

  return router;
}
