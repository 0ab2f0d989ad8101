import { z } from 'zod';
import { Channel } from '../conversations/channel.ts';
import { TicketPriority } from './priority.ts';
import { TicketStatus } from './status.ts';

export const Ticket = z.object({
  id: z.string(),
  /** Sequential, shown as #42. */
  number: z.number().int().positive(),
  subject: z.string(),
  status: TicketStatus,
  priority: TicketPriority,
  tags: z.array(z.string()),
  assigneeId: z.string().nullable(),
  contactId: z.string(),
  channel: Channel,
  conversationId: z.string(),
  intentId: z.string().nullable(),
  intentConfidence: z.number().min(0).max(1).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  solvedAt: z.string().nullable(),
  /** The language the user writes in, as the bot detected it ('pt', 'es', 'en'); absent or null when unknown. */
  language: z.string().nullable().optional(),
});
export type Ticket = z.infer<typeof Ticket>;

export const TicketPatch = z
  .object({
    status: TicketStatus.optional(),
    priority: TicketPriority.optional(),
    assigneeId: z.string().nullable().optional(),
    tags: z.array(z.string().max(50)).max(50).optional(),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), { message: 'Nothing to change.' });
export type TicketPatch = z.infer<typeof TicketPatch>;

export function ticketLabel(ticket: Pick<Ticket, 'number'>): string {
  return `#${ticket.number}`;
}
