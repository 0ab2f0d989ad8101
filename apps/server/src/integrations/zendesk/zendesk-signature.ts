import { createHmac, timingSafeEqual } from 'node:crypto';

export type ZendeskSignatureCheck = 'ok' | 'missing' | 'stale' | 'wrong';

/** base64(HMAC-SHA256(signing secret, timestamp + raw body)): the secret string's bytes are the key. */
export function zendeskSignatureOf(secret: string, timestamp: string, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');
}

/**
 * Zendesk's webhook signature over the exact bytes received. A timestamp further than `maxAgeMs`
 * from now is refused even when signed, so a captured request can't be replayed later.
 */
export function checkZendeskSignature(
  input: { signature: string | undefined; timestamp: string | undefined; rawBody: Uint8Array; secret: string },
  now: number,
  maxAgeMs: number,
): ZendeskSignatureCheck {
  if (!input.signature || !input.timestamp) return 'missing';
  const at = Date.parse(input.timestamp);
  if (Number.isNaN(at) || Math.abs(now - at) > maxAgeMs) return 'stale';
  const expected = Buffer.from(zendeskSignatureOf(input.secret, input.timestamp, input.rawBody), 'base64');
  const given = Buffer.from(input.signature.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'wrong';
}
