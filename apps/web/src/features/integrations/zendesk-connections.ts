import type { ConnectedIntegrations, ZendeskIntegrationView } from '@desk/core';
import { createResource } from 'solid-js';
import { api } from '../../api/client.ts';

export interface ZendeskCards {
  support: ZendeskIntegrationView;
  messaging: ZendeskIntegrationView;
}

export const loadZendeskCards = () => api<ZendeskCards>('/api/integrations/zendesk');

/** Which Zendesk integrations are connected (admins only: others read "none", which the server decides anyway). */
export function createZendeskConnections(enabled: () => boolean) {
  const [cards] = createResource(enabled, (on) => (on ? loadZendeskCards() : Promise.resolve(null)));
  return (): ConnectedIntegrations | null => {
    const current = cards.error ? null : cards();
    return current ? { zendesk_support: current.support.connected, zendesk_messaging: current.messaging.connected } : null;
  };
}
