import { z } from 'zod';

export const NOTIFICATION_LANGUAGES = ['pt-BR', 'es', 'en'] as const;

/** A browser's Push API subscription, as `PushSubscription.toJSON()` gives it, plus the reader's language. */
export const PushSubscriptionInput = z.object({
  endpoint: z.url({ protocol: /^https$/, error: 'The push endpoint must be an https URL.' }).max(2000),
  keys: z.object({
    p256dh: z.string().min(20).max(200),
    auth: z.string().min(8).max(100),
  }),
  lang: z.enum(NOTIFICATION_LANGUAGES).default('en'),
});
export type PushSubscriptionInput = z.output<typeof PushSubscriptionInput>;
