import { z } from 'zod';
import { normalizeTag } from '../tickets/rules.ts';

/** The Desk integration: its subject starts every ticket subject, its tags go on every ticket. */
/**
 * After this many messages in a row the bot did not understand, it offers a person (on by
 * default, after 2). Accepting opens a ticket like a hand-off intent, tagged `fallback`.
 */
export const OfferPerson = z.object({ enabled: z.boolean(), afterMisses: z.number().int().min(1).max(10) });
export type OfferPerson = z.infer<typeof OfferPerson>;
export const DEFAULT_OFFER_PERSON: OfferPerson = { enabled: true, afterMisses: 2 };

export const DeskIntegration = z.object({
  subject: z.string(),
  tags: z.array(z.string()),
  enabled: z.boolean(),
  offerPerson: OfferPerson,
});
export type DeskIntegration = z.infer<typeof DeskIntegration>;

export const DeskIntegrationInput = z.object({
  subject: z.string().trim().min(1, 'Enter a subject.').max(120),
  tags: z
    .array(z.string())
    .max(20)
    .transform((tags) => [...new Set(tags.map(normalizeTag).filter((t) => t.length > 0))])
    .pipe(z.array(z.string().regex(/^[\p{L}\p{N}_\-:.]{1,50}$/u, 'Tags are letters, digits, "-", "_", ":" or "."'))),
  enabled: z.boolean().default(true),
  offerPerson: OfferPerson.default(DEFAULT_OFFER_PERSON),
});
export type DeskIntegrationInput = z.output<typeof DeskIntegrationInput>;

/** "Support — Talk to a person" */
export function ticketSubject(integrationSubject: string, intentName: string): string {
  return `${integrationSubject} — ${intentName}`;
}
