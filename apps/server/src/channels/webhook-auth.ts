import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time comparison of a secret a request carries with the expected one. Both sides are
 * hashed first so their lengths match and the time taken says nothing about the secret's length.
 */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), expectedDigest(expected));
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The expected secret changes only when an admin saves another: its digest is kept, not computed for every webhook. */
let lastExpected: { secret: string; digest: Buffer } | null = null;
function expectedDigest(secret: string): Buffer {
  if (lastExpected?.secret !== secret) lastExpected = { secret, digest: sha256(secret) };
  return lastExpected.digest;
}

/**
 * Meta's `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the raw body bytes with the app secret.
 * Only the exact bytes received verify: never re-serialised JSON.
 */
export function metaSignatureValid(rawBody: Uint8Array, header: string, appSecret: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match?.[1]) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1].toLowerCase(), 'hex'), expected);
}

export function metaSignatureOf(rawBody: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export type SecretCheck = 'ok' | 'missing' | 'wrong';

/** Missing → 401, wrong → 403: the caller answers and stores nothing. */
export function checkSecretHeader(given: string | undefined, expected: string): SecretCheck {
  if (given === undefined || given === '') return 'missing';
  return secretsEqual(given, expected) ? 'ok' : 'wrong';
}
