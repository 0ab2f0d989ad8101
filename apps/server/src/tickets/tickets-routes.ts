import { DeskError, ErrorCode, Message, MESSAGE_TEXT_MAX, ruleMessages, Ticket, TicketListQuery, TicketPatch, TicketRule } from '@desk/core';
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import type { ConversationEngine } from '../conversations/engine.ts';
import type { MessagesRepo } from '../conversations/messages-repo.ts';
import { notFound } from '../http/api-error.ts';
import { bearer, errorResponse as errors, IdParam, jsonBody, jsonResponse } from '../http/openapi-common.ts';
import { createRouter } from '../http/router.ts';
import type { TicketService } from './ticket-service.ts';
import type { TicketsRepo } from './tickets-repo.ts';

export interface TicketsDeps {
  tickets: TicketsRepo;
  messages: MessagesRepo;
  engine: ConversationEngine;
  ticketService: TicketService;
}

const TicketListItem = Ticket.extend({
  requester: z.object({ name: z.string(), phone: z.string().nullable() }),
  lastMessage: z.object({ text: z.string(), authorKind: z.string(), createdAt: z.string() }).nullable(),
});
const ReplyInput = z.object({
  text: z.string().trim().min(1, 'Write a reply.').max(MESSAGE_TEXT_MAX),
  /** Client-generated UUID, so a retried reply is stored and sent once. */
  messageId: z.uuid().optional(),
  /** Agents reply with text only: a reply that carries attachments is refused (rule ticket.reply.text_only). */
  attachments: z.array(z.unknown()).optional(),
});
const work = [requirePermission('tickets.work')];

const listRoute = createRoute({
  method: 'get',
  path: '/api/tickets',
  tags: ['tickets'],
  summary: 'Tickets, newest activity first',
  description: '`status`, `priority` and `assignee` (agent ids, `me`, `none`) take comma-separated values; `q` searches subject, requester and messages.',
  security: bearer,
  middleware: work,
  request: { query: TicketListQuery },
  responses: { 200: jsonResponse(z.object({ tickets: z.array(TicketListItem), total: z.number().int() })), 400: errors, 401: errors },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/tickets/{id}',
  tags: ['tickets'],
  summary: 'One ticket',
  security: bearer,
  middleware: work,
  request: { params: IdParam },
  responses: { 200: jsonResponse(z.object({ ticket: Ticket })), 401: errors, 404: errors },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/api/tickets/{id}',
  tags: ['tickets'],
  summary: 'Change status, priority, assignee or tags',
  description: 'Checked against the ticket rules: a broken rule answers 422 with its name in `error.rule`.',
  security: bearer,
  middleware: work,
  request: { params: IdParam, ...jsonBody(TicketPatch) },
  responses: { 200: jsonResponse(z.object({ ticket: Ticket })), 400: errors, 401: errors, 404: errors, 409: errors, 422: errors },
});

const messagesRoute = createRoute({
  method: 'get',
  path: '/api/tickets/{id}/messages',
  tags: ['tickets'],
  summary: "The ticket's messages, oldest first",
  security: bearer,
  middleware: work,
  request: { params: IdParam },
  responses: { 200: jsonResponse(z.object({ messages: z.array(Message) })), 401: errors, 404: errors },
});

const replyRoute = createRoute({
  method: 'post',
  path: '/api/tickets/{id}/messages',
  tags: ['tickets'],
  summary: "Reply to the user's channel (text only)",
  security: bearer,
  middleware: work,
  request: { params: IdParam, ...jsonBody(ReplyInput) },
  responses: {
    200: jsonResponse(z.object({ message: Message }), 'Already stored under this messageId'),
    201: jsonResponse(z.object({ message: Message }), 'Stored and queued for the channel'),
    400: errors,
    401: errors,
    404: errors,
    409: errors,
    422: errors,
  },
});

export function ticketsRoutes(deps: TicketsDeps) {
  const router = createRouter();
  router.use('/api/tickets/:id/messages', async (c, next) => {
    const refusal = replyCarriesFile(c.req.method, c.req.path, c.req.header('content-type') ?? '');
    if (refusal) throw refusal;
    await next();
  });

  router.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const me = c.var.agent.id;
    const result = await deps.tickets.list(
      {
        statuses: query.status,
        priorities: query.priority,
        assignees: query.assignee.map((a) => (a === 'me' ? me : a)),
        text: query.q ?? '',
      },
      { limit: query.limit, offset: query.offset },
    );
    return c.json(result, 200);
  });

  router.openapi(getRoute, async (c) => {
    const ticket = await deps.tickets.get(c.req.valid('param').id);
    if (!ticket) throw notFound('No such ticket.');
    return c.json({ ticket }, 200);
  });

  router.openapi(patchRoute, async (c) => {
    const ticket = await deps.ticketService.changeTicket(c.req.valid('param').id, c.req.valid('json'), c.var.agent.id);
    return c.json({ ticket }, 200);
  });

  router.openapi(messagesRoute, async (c) => {
    const ticket = await deps.engine.requireTicket(c.req.valid('param').id);
    return c.json({ messages: await deps.messages.listByTicket(ticket.id) }, 200);
  });

  router.openapi(replyRoute, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const { message, created } = await deps.engine.reply({
      ticketId: id,
      agentId: c.var.agent.id,
      text: input.text,
      hasAttachments: (input.attachments?.length ?? 0) > 0,
      ...(input.messageId ? { messageId: input.messageId } : {}),
    });
    return created ? c.json({ message }, 201) : c.json({ message }, 200);
  });

  return router;
}

/** A file posted to the reply endpoint gets the rule's answer, not a generic 415. */
export function replyCarriesFile(method: string, path: string, contentType: string): DeskError | null {
  if (method !== 'POST' || !/^\/api\/tickets\/[^/]+\/messages$/.test(path) || !/^multipart\/form-data\b/i.test(contentType)) return null;
  const rule = TicketRule.agentRepliesAreText;
  return new DeskError(ErrorCode.ruleViolated, ruleMessages[rule], { rule });
}
