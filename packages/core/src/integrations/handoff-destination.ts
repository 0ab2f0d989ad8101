import { z } from 'zod';

/** Where an intent's hand-off goes: Desk's own tickets, a Zendesk Support ticket, or Zendesk messaging (live chat). */
export const HANDOFF_DESTINATIONS = ['desk', 'zendesk_support', 'zendesk_messaging'] as const;
export const HandOffDestination = z.enum(HANDOFF_DESTINATIONS);
export type HandOffDestination = z.infer<typeof HandOffDestination>;
export type ExternalDestination = Exclude<HandOffDestination, 'desk'>;

/** Which external integrations are connected right now. */
export type ConnectedIntegrations = Readonly<Record<ExternalDestination, boolean>>;

export interface DestinationChoice {
  /** Where the hand-off really goes. */
  effective: HandOffDestination;
  /** The intent asked for an integration that is not connected: the hand-off falls back to Desk. */
  fellBack: boolean;
}

/** A destination whose integration is disconnected falls back to Desk (and the intent list warns). */
export function effectiveDestination(wanted: HandOffDestination, connected: ConnectedIntegrations): DestinationChoice {
  switch (wanted) {
    case 'desk':
      return { effective: 'desk', fellBack: false };
    case 'zendesk_support':
    case 'zendesk_messaging':
      return connected[wanted] ? { effective: wanted, fellBack: false } : { effective: 'desk', fellBack: true };
    default:
      throw new Error(`Unknown destination: ${wanted satisfies never}`);
  }
}
