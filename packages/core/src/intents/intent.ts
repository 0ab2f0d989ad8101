import { z } from 'zod';
import { HandOffDestination } from '../integrations/handoff-destination.ts';
import { DEFAULT_PRIORITY, TicketPriority } from '../tickets/priority.ts';
import { IntentTicketStatus } from '../tickets/status.ts';

/**
 * What an intent does with the Desk when it fires. The status and priority apply to every
 * destination; the agent only to Desk, the Zendesk group only to Zendesk Support.
 */
const zendeskGroupId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable();

export const IntentDesk = z.object({
  enabled: z.boolean(),
  agentId: z.string().nullable(),
  status: IntentTicketStatus,
  priority: TicketPriority,
  /** Absent on intents written before destinations existed (and by older clients): Desk. */
  destination: HandOffDestination.optional(),
  zendeskGroupId: zendeskGroupId.optional(),
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

export const DEFAULT_INTENT_DESK: Required<IntentDesk> = {
  enabled: false,
  agentId: null,
  status: 'new',
  priority: DEFAULT_PRIORITY,
  destination: 'desk',
  zendeskGroupId: null,
};

export const IntentInput = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(80),
  phrases: z.array(phrase).min(1, 'Add at least one training phrase.').max(500),
  answers: z.array(phrase).max(50).default([]),
  desk: IntentDesk.default(DEFAULT_INTENT_DESK),
});
export type IntentInput = z.output<typeof IntentInput>;

export const IntentPatch = z.object({
  name: IntentInput.shape.name.optional(),
  phrases: IntentInput.shape.phrases.optional(),
  answers: z.array(phrase).max(50).optional(),
  desk: z
    .object({
      enabled: z.boolean(),
      agentId: z.string().nullable(),
      status: IntentTicketStatus,
      priority: TicketPriority,
      destination: HandOffDestination,
      zendeskGroupId,
    })
    .partial()
    .optional(),
});
export type IntentPatch = z.output<typeof IntentPatch>;

/** An intent stored before destinations existed hands off to Desk. */
export function intentDeskOf(stored: IntentDesk): Required<IntentDesk> {
  return { ...DEFAULT_INTENT_DESK, ...stored };
}

/** Where the intent's hand-off is meant to go (Desk unless it says otherwise). */
export function intentDestination(desk: IntentDesk): HandOffDestination {
  return desk.destination ?? 'desk';
}
