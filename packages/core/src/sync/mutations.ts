import { z } from 'zod';
import { ContactInput, ContactPatch } from '../contacts/contact.ts';
import { MESSAGE_TEXT_MAX } from '../conversations/message.ts';
import { TicketPriority } from '../tickets/priority.ts';
import { TicketStatus } from '../tickets/status.ts';

const ticketId = z.string().min(1);

/** Every mutation an agent's client may push, with its argument schema. */
export const MutationArgs = {
  'ticket.setStatus': z.object({ ticketId, status: TicketStatus }),
  'ticket.setPriority': z.object({ ticketId, priority: TicketPriority }),
  'ticket.assign': z.object({ ticketId, agentId: z.string().min(1).nullable() }),
  'ticket.addTag': z.object({ ticketId, tag: z.string().min(1).max(50) }),
  'ticket.removeTag': z.object({ ticketId, tag: z.string().min(1).max(50) }),
  'ticket.reply': z.object({
    ticketId,
    messageId: z.uuid(),
    text: z.string().trim().min(1, 'Write a reply.').max(MESSAGE_TEXT_MAX),
  }),
  'ticket.markRead': z.object({ ticketId }),
  'contact.create': ContactInput.extend({ id: z.uuid() }),
  'contact.update': ContactPatch.extend({ id: z.string().min(1) }),
} as const;
export type MutationName = keyof typeof MutationArgs;
export const MUTATION_NAMES = Object.keys(MutationArgs) as MutationName[];
export type MutationArgsOf<N extends MutationName> = z.output<(typeof MutationArgs)[N]>;

export const PushedMutation = z.object({
  id: z.number().int().positive(),
  name: z.enum(MUTATION_NAMES as [MutationName, ...MutationName[]]),
  args: z.unknown(),
});
export type PushedMutation = z.infer<typeof PushedMutation>;

export const PushRequest = z.object({
  clientId: z.string().min(8).max(64),
  mutations: z.array(PushedMutation).max(1000),
});
export type PushRequest = z.infer<typeof PushRequest>;
