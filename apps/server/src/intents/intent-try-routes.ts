import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../accounts/auth-middleware.ts';
import type { Nlu } from '../conversations/bot/nlu.ts';
import { bearer, errorResponse as errors, jsonBody, jsonResponse } from '../http/openapi-common.ts';
import { createRouter } from '../http/router.ts';

/** "Try it" in the intent editor: how the bot reads a sentence, without storing anything. */
const TryInput = z.object({ text: z.string().trim().min(1, 'Write a sentence.').max(1000) });
const TryResult = z.object({
  intent: z.object({ id: z.string(), name: z.string() }).nullable(),
  confidence: z.number().min(0).max(1),
  language: z.string(),
  answer: z.string().nullable(),
  /** The three best intents, most confident first. */
  ranking: z.array(z.object({ intent: z.object({ id: z.string(), name: z.string() }), confidence: z.number().min(0).max(1) })),
  /** What the bot would do: answer with `intent`, ask between the two best, or fall back. */
  decision: z.enum(['answer', 'ask', 'fallback']),
});

const tryRoute = createRoute({
  method: 'post', path: '/api/intents/try', tags: ['intents'], summary: 'Which intent a sentence matches, and with what confidence',
  description: 'Uses the bot as currently trained; stores nothing. `intent` is null and `answer` is the fallback below the confidence threshold, or when the message shares too few words with the phrases of any intent.',
  security: bearer, middleware: [requirePermission('intents.read')] as const, request: jsonBody(TryInput),
  responses: { 200: jsonResponse(TryResult), 400: errors, 401: errors, 403: errors },
});

export function intentTryRoutes(deps: { nlu: Nlu }) {
  const router = createRouter();
  router.openapi(tryRoute, async (c) => {
    // Right after a save the bot is retraining (milliseconds): answer with the new model.
    await deps.nlu.whenIdle();
    const reading = await deps.nlu.read(c.req.valid('json').text);
    const intent = reading.intent ? { id: reading.intent.id, name: reading.intent.name } : null;
    const clamp = (value: number) => Math.max(0, Math.min(1, value));
    const ranking = reading.ranking.map((r) => ({ intent: { id: r.intent.id, name: r.intent.name }, confidence: clamp(r.confidence) }));
    const decision = reading.ask ? 'ask' : reading.intent ? 'answer' : 'fallback';
    return c.json({ intent, confidence: clamp(reading.confidence), language: reading.language, answer: reading.answer, ranking, decision } as const, 200);
  });
  return router;
}
