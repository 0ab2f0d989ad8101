import { describe, expect, it } from 'vitest';
import { checkZendeskSignature, zendeskSignatureOf } from '../../src/integrations/zendesk/zendesk-signature.ts';
import { zendeskFixture } from '../support/zendesk/zendesk-fixtures.ts';

const { vectors } = zendeskFixture<{ vectors: { secret: string; timestamp: string; body: string; signature: string; signature_if_secret_wrongly_base64_decoded?: string }[] }>(
  'webhook-signature-vector.json',
);

describe('Zendesk webhook signature', () => {
  it.each(vectors.map((v, i) => [i + 1, v] as const))('matches vector %i', (_, v) => {
    expect(zendeskSignatureOf(v.secret, v.timestamp, v.body)).toBe(v.signature);
    const at = Date.parse(v.timestamp);
    const input = { signature: v.signature, timestamp: v.timestamp, rawBody: new TextEncoder().encode(v.body), secret: v.secret };
    expect(checkZendeskSignature(input, at + 1000, 300_000)).toBe('ok');
    expect(checkZendeskSignature(input, at + 301_000, 300_000)).toBe('stale');
    expect(checkZendeskSignature({ ...input, rawBody: new TextEncoder().encode(`${v.body} `) }, at, 300_000)).toBe('wrong');
    if (v.signature_if_secret_wrongly_base64_decoded) {
      expect(checkZendeskSignature({ ...input, signature: v.signature_if_secret_wrongly_base64_decoded }, at, 300_000)).toBe('wrong');
    }
    expect(checkZendeskSignature({ ...input, signature: undefined }, at, 300_000)).toBe('missing');
  });
});
