import { ErrorBodySchema } from '@desk/core';
import { z } from '@hono/zod-openapi';
import { forbidden, invalid, notFound, unauthenticated } from '../../http/api-error.ts';
import type { SecretCheck } from '../webhook-auth.ts';
import { MalformedPayload, type NormalizedWebhook } from './channel-inbound.ts';
import type { InboundService } from './inbound-service.ts';

const errors = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };

/** The responses every webhook documents. */
export const webhookResponses = {
  200: { content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } }, description: 'Stored (or ignored): acknowledged' },
  400: { ...errors, description: 'Not a body the platform sends' },
  401: { ...errors, description: 'The signature or secret is missing' },
  403: { ...errors, description: 'The signature or secret is wrong' },
  404: { ...errors, description: 'The channel is not configured or is switched off' },
} as const;

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

/** Normalises (400 when the platform can't have sent it), stores, and only then acknowledges. */
export async function storeThenAcknowledge(inbound: InboundService, normalize: () => NormalizedWebhook): Promise<{ ok: true }> {
  let webhook: NormalizedWebhook;
  try {
    webhook = normalize();
  } catch (err) {
    if (err instanceof MalformedPayload) throw invalid(err.message);
    throw err;
  }
  await inbound.receive(webhook);
  return { ok: true };
}
