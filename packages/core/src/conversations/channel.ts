import { z } from 'zod';

/** Where an end user talks to the bot. Sunshine Conversations relays several of the others. */
export const CHANNELS = ['webchat', 'telegram', 'whatsapp', 'messenger', 'instagram', 'smooch'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const ChannelIdentity = z.object({
  channel: Channel,
  externalId: z.string().min(1).max(200),
});
export type ChannelIdentity = z.infer<typeof ChannelIdentity>;
