import { Contact, ContactInput, ContactPatch } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import type { AgentsRepo } from '../accounts/agents-repo.ts';
import { conflict, invalid, notFound } from '../http/api-error.ts';
import { bearer, errorResponse as errors, IdParam, jsonBody, jsonResponse } from '../http/openapi-common.ts';
import { createRouter } from '../http/router.ts';
import type { ContactsRepo } from './contacts-repo.ts';

export interface ContactsDeps {
  contacts: ContactsRepo;
  agents: AgentsRepo;
}

const read = [requirePermission('contacts.read')];
const manage = [requirePermission('contacts.manage')];
const ContactBody = z.object({ contact: Contact });
const ListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

const listRoute = createRoute({
  method: 'get', path: '/api/contacts', tags: ['contacts'], summary: 'End users (search by name, phone or e-mail)', security: bearer,
  middleware: read, request: { query: ListQuery },
  responses: { 200: jsonResponse(z.object({ contacts: z.array(Contact) })), 400: errors, 401: errors, 403: errors },
});
const getRoute = createRoute({
  method: 'get', path: '/api/contacts/{id}', tags: ['contacts'], summary: 'One end user', security: bearer, middleware: read,
  request: { params: IdParam },
  responses: { 200: jsonResponse(ContactBody), 401: errors, 403: errors, 404: errors },
});
const createContactRoute = createRoute({
  method: 'post', path: '/api/contacts', tags: ['contacts'], summary: 'Create an end user (admins)', security: bearer, middleware: manage,
  request: jsonBody(ContactInput),
  responses: { 201: jsonResponse(ContactBody, 'Created'), 400: errors, 401: errors, 403: errors, 409: errors },
});
const patchRoute = createRoute({
  method: 'patch', path: '/api/contacts/{id}', tags: ['contacts'], summary: 'Change an end user (admins)', security: bearer,
  middleware: manage, request: { params: IdParam, ...jsonBody(ContactPatch) },
  responses: { 200: jsonResponse(ContactBody), 400: errors, 401: errors, 403: errors, 404: errors, 409: errors },
});
const deleteRoute = createRoute({
  method: 'delete', path: '/api/contacts/{id}', tags: ['contacts'], summary: 'Delete an end user (admins; their tickets stay)',
  security: bearer, middleware: manage, request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, 401: errors, 403: errors, 404: errors },
});

export function contactsRoutes(deps: ContactsDeps) {
  const router = createRouter();
  const checkPhone = async (phone: string | null | undefined, exceptId?: string) => {
    if (!phone) return;
    const holder = await deps.contacts.findByPhone(phone);
    if (holder && holder.id !== exceptId) {
      throw conflict(`This phone already belongs to contact ${holder.id} (${holder.name}).`, { phone: `Already used by contact ${holder.id}.` });
    }
  };
  const checkAgent = async (agentId: string | null | undefined) => {
    if (agentId && !(await deps.agents.isActive(agentId))) throw invalid('Pick an active agent.', { designatedAgentId: 'Pick an active agent.' });
  };

  router.openapi(listRoute, async (c) => c.json({ contacts: await deps.contacts.list(c.req.valid('query')) }, 200));

  router.openapi(getRoute, async (c) => {
    const contact = await deps.contacts.get(c.req.valid('param').id);
    if (!contact) throw notFound('No such contact.');
    return c.json({ contact }, 200);
  });

  router.openapi(createContactRoute, async (c) => {
    const input = c.req.valid('json');
    await checkPhone(input.phone);
    await checkAgent(input.designatedAgentId);
    return c.json({ contact: await deps.contacts.create(input) }, 201);
  });

  router.openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    if (!(await deps.contacts.get(id))) throw notFound('No such contact.');
    await checkPhone(patch.phone, id);
    await checkAgent(patch.designatedAgentId);
    return c.json({ contact: await deps.contacts.update(id, patch) }, 200);
  });

  router.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.contacts.get(id))) throw notFound('No such contact.');
    await deps.contacts.softDelete(id);
    return c.body(null, 204);
  });

  return router;
}
