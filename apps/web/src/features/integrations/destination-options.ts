import { type ConnectedIntegrations, HANDOFF_DESTINATIONS, type HandOffDestination } from '@desk/core';
import type { Option } from '../../components/Field.tsx';
import { t } from '../../i18n/index.ts';

export const destinationName = (destination: HandOffDestination) => t(`intents.destination.${destination}`);

/**
 * The hand-off destinations to offer: Desk always; a Zendesk one when connected, or when `current`
 * already uses it (then marked disconnected, so the admin sees why it falls back to Desk).
 */
export function destinationOptions(connected: ConnectedIntegrations | null | undefined, current: HandOffDestination): Option[] {
  return HANDOFF_DESTINATIONS.filter((d) => d === 'desk' || connected?.[d] || current === d).map((d) => ({
    value: d,
    label: d !== 'desk' && !connected?.[d] ? t('intents.destinationOff', { destination: destinationName(d) }) : destinationName(d),
  }));
}
