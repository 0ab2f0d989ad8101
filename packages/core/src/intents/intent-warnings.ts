import { z } from 'zod';

/**
 * Below this many training phrases in a language where an intent has an answer, the bot
 * rarely recognises the intent in that language (the demo intents have five or six each).
 */
export const MIN_PHRASES_PER_LANGUAGE = 5;

export const IntentLanguage = z.enum(['pt', 'es', 'en']);
export type IntentLanguage = z.infer<typeof IntentLanguage>;

/** An intent with an answer in `language` but fewer than `minimum` phrases in it. */
export const FewPhrasesWarning = z.object({
  kind: z.literal('fewPhrases'),
  intentId: z.string(),
  language: IntentLanguage,
  phrases: z.number().int().min(0),
  minimum: z.number().int().min(1),
});

/**
 * Two intents the classifier confuses: cross-validating over the training phrases (each
 * phrase read by a bot trained without it), `misread` of the two intents' `phrases` were
 * read as the other one.
 */
export const ConfusedIntentsWarning = z.object({
  kind: z.literal('confused'),
  intentIds: z.tuple([z.string(), z.string()]),
  misread: z.number().int().min(1),
  phrases: z.number().int().min(1),
});

export const IntentWarning = z.discriminatedUnion('kind', [FewPhrasesWarning, ConfusedIntentsWarning]);
export type IntentWarning = z.infer<typeof IntentWarning>;

/** `checking` while the cross-validation of the latest intents runs (its warnings are then those of the previous check). */
export const IntentWarnings = z.object({
  state: z.enum(['checking', 'ready']),
  warnings: z.array(IntentWarning),
});
export type IntentWarnings = z.infer<typeof IntentWarnings>;
