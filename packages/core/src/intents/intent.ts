import { z } from 'zod';
import { DEFAULT_PRIORITY, TicketPriority } from '../tickets/priority.ts';
import { IntentTicketStatus } from '../tickets/status.ts';

/** What an intent does with the Desk when it fires. */
export const IntentDesk = z.object({
  enabled: z.boolean(),
  agentId: z.string().nullable(),
  status: IntentTicketStatus,
  priority: TicketPriority,
});
export type IntentDesk = z.infer<typeof IntentDesk>;

export const Intent = z.object({
  id: z.string(),
  name: z.string(),
  phrases: z.array(z.string()),
  answers: z.array(z.string()),
  desk: IntentDesk,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Intent = z.infer<typeof Intent>;

const phrase = z.string().trim().min(1).max(500);

export const IntentInput = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(80),
  phrases: z.array(phrase).min(1, 'Add at least one training phrase.').max(500),
  answers: z.array(phrase).max(50).default([]),
  desk: IntentDesk.default({ enabled: false, agentId: null, status: 'new', priority: DEFAULT_PRIORITY }),
});
export type IntentInput = z.output<typeof IntentInput>;

export const IntentPatch = z.object({
  name: IntentInput.shape.name.optional(),
  phrases: IntentInput.shape.phrases.optional(),
  answers: z.array(phrase).max(50).optional(),
  desk: IntentDesk.partial().optional(),
});
export type IntentPatch = z.output<typeof IntentPatch>;
