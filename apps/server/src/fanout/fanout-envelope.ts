import { type FanoutTopic, isFanoutTopic } from './fanout-bus.ts';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
export const NOTIFY_PAYLOAD_MAX_BYTES = 7999;

/**
 * One NOTIFY payload: `<kind>:<topic>:<instance>:<payload>`, kind `p` (published) or `c` (catch-up:
 * the sender's pokes on this topic may have been lost). The instance lets a sender skip its own.
 */
export type FanoutEnvelope =
  | { kind: 'published'; topic: FanoutTopic; instance: string; payload: string }
  | { kind: 'catch-up'; topic: FanoutTopic; instance: string };

export function encodeEnvelope(envelope: FanoutEnvelope): string {
  let text: string;
  switch (envelope.kind) {
    case 'published':
      text = `p:${envelope.topic}:${envelope.instance}:${envelope.payload}`;
      break;
    case 'catch-up':
      text = `c:${envelope.topic}:${envelope.instance}:`;
      break;
    default:
      return envelope satisfies never;
  }
  if (Buffer.byteLength(text) > NOTIFY_PAYLOAD_MAX_BYTES) {
    throw new RangeError(`A fan-out payload is a cursor or an id, at most ${NOTIFY_PAYLOAD_MAX_BYTES} bytes: got ${Buffer.byteLength(text)}.`);
  }
  return text;
}

/** Null for anything else on the channel (another program's NOTIFY, a topic this version doesn't know). */
export function decodeEnvelope(text: string): FanoutEnvelope | null {
  const match = /^([pc]):([a-z]+):([0-9a-f]+):(.*)$/s.exec(text);
  if (!match) return null;
  const [, kind, topic = '', instance = '', payload = ''] = match;
  if (!isFanoutTopic(topic)) return null;
  return kind === 'p' ? { kind: 'published', topic, instance, payload } : { kind: 'catch-up', topic, instance };
}
