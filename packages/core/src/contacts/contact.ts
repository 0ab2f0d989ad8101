import { z } from 'zod';
import { ChannelIdentity } from '../conversations/channel.ts';
import { normalizePhone } from './phone.ts';

/** An end user: someone who talks to the bot. */
export const Contact = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  designatedAgentId: z.string().nullable(),
  identities: z.array(ChannelIdentity),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Contact = z.infer<typeof Contact>;

/** A phone field: accepts "+55 11 91234-5678", yields "+5511912345678". */
export const PhoneInput = z.string().transform((value, ctx) => {
  const check = normalizePhone(value);
  if (!check.ok) {
    ctx.addIssue({ code: 'custom', message: check.message, params: { reason: check.reason } });
    return z.NEVER;
  }
  return check.e164;
});

const emptyToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);

export const ContactInput = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  phone: z.preprocess(emptyToNull, PhoneInput.nullable()).optional(),
  email: z.preprocess(emptyToNull, z.email('Enter a valid e-mail address.').nullable()).optional(),
  designatedAgentId: z.preprocess(emptyToNull, z.string().nullable()).optional(),
});
export type ContactInput = z.output<typeof ContactInput>;

export const ContactPatch = ContactInput.partial();
export type ContactPatch = z.output<typeof ContactPatch>;
