import { type Intent, MissAction, MissActionResult, MissConversation, MissGroups } from '@desk/core';
import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import type { Db } from '../db/database.ts';
import { conflict, invalid, notFound } from '../http/api-error.ts';
import { bearer, errorResponse as errors, IdParam, jsonBody, jsonResponse } from '../http/openapi-common.ts';
import { createRouter } from '../http/router.ts';
import type { IntentsRepo } from '../intents/intents-repo.ts';
import type { ContactsRepo } from '../contacts/contacts-repo.ts';
import type { ConversationsRepo } from '../conversations/conversations-repo.ts';
import type { MessagesRepo } from '../conversations/messages-repo.ts';
import type { Clock } from '../shared/clock.ts';
import { groupSimilar } from './miss-grouping.ts';
import type { MissesRepo } from './misses-repo.ts';

/** Examples shown per group. */
const EXAMPLES = 5;
/** Phrases an intent may hold (IntentInput's limit). */
const MAX_PHRASES = 500;

const manage = [requirePermission('misses.manage')];

const listRoute = createRoute({
  method: 'get', path: '/api/misses', tags: ['misses'], summary: 'The misses inbox, similar messages grouped (admins)',
  description: 'User messages the bot did not understand (fallbacks, unanswered disambiguations, a message followed by asking for a person), newest 2,000, grouped by character-trigram similarity.',
  security: bearer, middleware: manage,
  responses: { 200: jsonResponse(MissGroups), 401: errors, 403: errors },
});

const actionRoute = createRoute({
  method: 'post', path: '/api/misses/actions', tags: ['misses'], summary: 'Add a group to an intent, create an intent from it, or dismiss it (admins)',
  description: 'The bot retrains in the background; "Try it" answers with the new model.',
  security: bearer, middleware: manage, request: jsonBody(MissAction),
  responses: { 200: jsonResponse(MissActionResult), 400: errors, 401: errors, 403: errors, 404: errors, 409: errors },
});

const conversationRoute = createRoute({
  method: 'get', path: '/api/misses/conversations/{id}', tags: ['misses'], summary: 'The conversation a miss came from, read-only (admins)',
  description: 'Its messages as the conversation view shows them, also when it never became a ticket (a bot-only conversation). Only conversations with entries in the inbox; 404 once retention has deleted them.',
  security: bearer, middleware: manage, request: { params: IdParam },
  responses: { 200: jsonResponse(MissConversation), 401: errors, 403: errors, 404: errors },
});

export function missesRoutes(deps: {
  db: Db;
  clock: Clock;
  misses: MissesRepo;
  intents: IntentsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  contacts: ContactsRepo;
  startRetrainBot: () => Promise<void>;
}) {
  const router = createRouter();

  router.openapi(listRoute, async (c) => {
    const { entries, total } = await deps.misses.open();
    const groups = groupSimilar(entries).map((members) => ({
      id: (members[0] as (typeof members)[number]).id,
      size: members.length,
      label: (members[0] as (typeof members)[number]).text,
      entryIds: members.map((m) => m.id),
      examples: members.slice(0, EXAMPLES),
    }));
    return c.json({ groups, total }, 200);
  });

  router.openapi(conversationRoute, async (c) => {
    const { id } = c.req.valid('param');
    // Only what the inbox points at: the misses inbox is not a way to browse every conversation.
    const conversation = (await deps.misses.cameFrom(id)) ? await deps.conversations.get(id) : null;
    if (!conversation) throw notFound('No such conversation in the misses inbox.');
    const [messages, contact, ticket] = await Promise.all([
      deps.messages.listByConversation(id),
      deps.contacts.get(conversation.contactId, { includeDeleted: true }),
      deps.misses.latestTicketOf(id),
    ]);
    return c.json(
      MissConversation.parse({ conversationId: id, channel: conversation.channel, language: conversation.language, contact, ticketId: ticket, messages }),
      200,
    );
  });

  router.openapi(actionRoute, async (c) => {
    const action = c.req.valid('json');
    const result = await deps.db.transaction(async () => {
      const texts = await deps.misses.openTexts(action.entryIds);
      if (texts.length === 0) throw notFound('These messages were already handled.');
      const phrases = uniqueTexts(texts.map((t) => t.text.trim().slice(0, 500)));
      let intent: Intent | null = null;
      switch (action.action) {
        case 'add_to_intent': {
          const current = await deps.intents.get(action.intentId);
          if (!current) throw notFound('No such intent.');
          const merged = uniqueTexts([...current.phrases, ...phrases]);
          if (merged.length > MAX_PHRASES) throw invalid(`An intent holds at most ${MAX_PHRASES} phrases.`, { intentId: 'Too many phrases.' });
          intent = await deps.intents.update(current.id, { phrases: merged });
          break;
        }
        case 'create_intent': {
          if (await deps.intents.nameTaken(action.intent.name)) throw conflict('An intent with this name already exists.', { 'intent.name': 'Already in use.' });
          intent = await deps.intents.create({ ...action.intent, phrases: phrases.slice(0, MAX_PHRASES) });
          break;
        }
        case 'dismiss':
          break;
        default: {
          const unknown: never = action;
          throw new Error(`Unknown action ${JSON.stringify(unknown)}`);
        }
      }
      const resolved = await deps.misses.resolve(texts.map((t) => t.id), deps.clock());
      return { resolved, intentId: intent?.id ?? null };
    });
    // Answers once the bot's new training has started (requests keep the previous model meanwhile).
    if (result.intentId) await deps.startRetrainBot();
    return c.json(MissActionResult.parse(result), 200);
  });

  return router;
}

function uniqueTexts(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  return texts.filter((text) => {
    const key = text.toLocaleLowerCase();
    if (text === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
