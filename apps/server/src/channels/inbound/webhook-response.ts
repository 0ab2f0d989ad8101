import { createHash } from 'node:crypto';
import { ErrorBodySchema } from '@desk/core';
import { type RouteConfig, z } from '@hono/zod-openapi';
import type { Handler } from 'hono';
import type { AppEnv } from '../../http/app-env.ts';
import type { Router } from '../../http/router.ts';
import { forbidden, invalid, notFound, unauthenticated } from '../../http/api-error.ts';
import type { SecretCheck } from '../webhook-auth.ts';
import { MalformedPayload, type NormalizedWebhook } from './channel-inbound.ts';
import type { InboxIntake as FullIntake } from '../../inbox/inbox-intake.ts';
import type { InboxSource } from '../../inbox/inbox-repo.ts';

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };

/** The responses every webhook documents. */
export const webhookResponses = {
  200: { content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } }, description: 'Stored (or ignored): acknowledged' },
  400: { ...errors, description: 'Not a body the platform sends' },
  401: { ...errors, description: 'The signature or secret is missing' },
  403: { ...errors, description: 'The signature or secret is wrong' },
  404: { ...errors, description: 'The channel is not configured or is switched off' },
} as const;

/**
 * A platform's webhook: in the OpenAPI document like every route, but answered by a plain handler.
 * There is nothing for a schema to check in the headers (the handler checks the secret or the
 * signature) and the body is the platform's, read raw; the acknowledgement path stays short.
 */
export function webhookRoute(router: Router, route: RouteConfig & { method: 'post' }, handler: Handler<AppEnv>): void {
  router.openAPIRegistry.registerPath(route);
  router.post(route.path, handler);
}

export const channelOff = (name: string) => notFound(`The ${name} channel is not configured.`);

/** 401 for a missing secret, 403 for a wrong one; nothing is read or stored after that. */
export function refuseUnlessAuthentic(check: SecretCheck, what: string): void {
  if (check === 'missing') throw unauthenticated(`The ${what} is missing.`);
  if (check === 'wrong') throw forbidden(`The ${what} does not match.`);
}

export function parseJsonBody(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw invalid('The body is not JSON.');
  }
}

/** Where a webhook puts what it accepted: the durable inbox (deduplicated on source + event id). */
export type InboxIntake = Pick<FullIntake, 'accept'>;

/**
 * The platform's own ids for what a webhook body carries: its messages (Telegram chat:message_id,
 * WhatsApp wamid, Messenger mid, Sunshine message id) and delivery reports. A redelivered body, even
 * re-serialised or re-batched the same way, names the same ones, so it lands on the same inbox row.
 */
export function eventIdOf(webhook: NormalizedWebhook): string | null {
  const keys = [
    ...webhook.messages.map((m) => `m:${m.channel}:${m.channelMessageId}`),
    ...webhook.statuses.map((s) => `s:${s.channel}:${s.channelMessageId}:${s.state}`),
  ];
  if (keys.length === 0) return null;
  return keys.length === 1 ? (keys[0] as string) : createHash('sha256').update(keys.join('\n')).digest('base64url');
}

/**
 * Checks the shape (400 when the platform can't have sent it), puts the raw event in the inbox and
 * acknowledges: no bot, no engine before the answer. A body that carries nothing Desk handles
 * (an edit, a switchboard event) is acknowledged and not stored.
 */
export async function storeInInboxThenAcknowledge(
  inbox: InboxIntake,
  source: InboxSource,
  raw: string,
  normalize: () => NormalizedWebhook,
): Promise<{ ok: true }> {
  let webhook: NormalizedWebhook;
  try {
    webhook = normalize();
  } catch (err) {
    if (err instanceof MalformedPayload) throw invalid(err.message);
    throw err;
  }
  const eventId = eventIdOf(webhook);
  if (eventId) await inbox.accept(source, eventId, raw);
  return { ok: true };
}
