import { z } from 'zod';
import type { TicketPriority } from '../tickets/priority.ts';
import type { TicketStatus } from '../tickets/status.ts';
import { DeskIntegrationInput } from './desk-integration.ts';

/** Zendesk stops honouring API tokens on this day; OAuth access tokens keep working. */
export const ZENDESK_API_TOKEN_SUNSET = '2027-04-30';
/** The switchboard integration Zendesk's Agent Workspace registers in a Sunshine Conversations app. */
export const DEFAULT_SWITCHBOARD_INTEGRATION = 'zd:agentWorkspace';
/** Zendesk allows this many updates of one ticket within ZENDESK_UPDATE_WINDOW_MS. */
export const ZENDESK_UPDATES_PER_TICKET = 30;
export const ZENDESK_UPDATE_WINDOW_MS = 10 * 60_000;
/** Desk marks the tickets it creates, so its trigger only pokes Desk about them. */
export const ZENDESK_HANDOFF_TAG = 'desk_handoff';

export const ZENDESK_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export type ZendeskStatus = (typeof ZENDESK_STATUSES)[number];
export const ZENDESK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type ZendeskPriority = (typeof ZENDESK_PRIORITIES)[number];

/** Desk's status → Zendesk's (the README's mapping table). */
export function zendeskStatusOf(status: TicketStatus): ZendeskStatus {
  switch (status) {
    case 'new':
    case 'open':
    case 'pending':
    case 'solved':
      return status;
    case 'on-hold':
      return 'hold';
    default:
      throw new Error(`Unknown status: ${status satisfies never}`);
  }
}

/** Desk's priorities have the same four names as Zendesk's. */
export function zendeskPriorityOf(priority: TicketPriority): ZendeskPriority {
  return priority;
}

/** Solved or closed in Zendesk: the conversation goes back to the bot. */
export function zendeskStatusEndsHandOff(status: string): boolean {
  return status === 'solved' || status === 'closed';
}

/** The subject and tags of a Zendesk card, like the Desk card's. */
export const ZendeskCardInput = z.object({
  subject: DeskIntegrationInput.shape.subject.optional(),
  tags: DeskIntegrationInput.shape.tags.optional(),
  /** Field → value; omitted or masked secrets keep the stored value; null or "" clears it. */
  values: z.record(z.string(), z.string().max(4096).nullable()).optional(),
});
export type ZendeskCardInput = z.output<typeof ZendeskCardInput>;

export const ZENDESK_INTEGRATIONS = ['support', 'messaging'] as const;
export const ZendeskIntegrationId = z.enum(ZENDESK_INTEGRATIONS);
export type ZendeskIntegrationId = z.infer<typeof ZendeskIntegrationId>;

export const ZendeskFieldView = z.object({
  name: z.string(),
  envVar: z.string(),
  secret: z.boolean(),
  /** Secrets are masked ("••••1234"), never returned in full. */
  value: z.string().nullable(),
  fromEnv: z.boolean(),
});

/** A Zendesk card as admins see it. */
export const ZendeskIntegrationView = z.object({
  id: ZendeskIntegrationId,
  subject: z.string(),
  tags: z.array(z.string()),
  /** Every field needed to connect is set. */
  configured: z.boolean(),
  /** Connect succeeded with the current settings: intents may send hand-offs here. */
  connected: z.boolean(),
  connectedAt: z.string().nullable(),
  /** The last permanent error Zendesk gave (its own description), until the next success. */
  lastError: z.string().nullable(),
  /** Support: authenticated with an e-mail + API token pair (which stops working on 2027-04-30). */
  usesApiToken: z.boolean(),
  webhookUrl: z.string(),
  envOverrides: z.array(z.string()),
  fields: z.array(ZendeskFieldView),
});
export type ZendeskIntegrationView = z.infer<typeof ZendeskIntegrationView>;

/** A contact's hand-off to Zendesk, as their page in Desk shows it (with the ticket's link). */
export const ZendeskHandOffView = z.object({
  id: z.string(),
  destination: z.enum(['zendesk_support', 'zendesk_messaging']),
  state: z.enum(['open', 'closed']),
  subject: z.string(),
  zendeskTicketId: z.number().nullable(),
  /** The ticket in Zendesk's agent interface (Support only, once created). */
  url: z.string().nullable(),
  createdAt: z.string(),
});
export type ZendeskHandOffView = z.infer<typeof ZendeskHandOffView>;
