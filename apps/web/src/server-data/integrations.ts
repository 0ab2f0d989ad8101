import type { ConnectedIntegrations, DeskIntegration, ZendeskIntegrationView } from '@desk/core';
import { createMutation, createQuery, useQueryClient } from '@tanstack/solid-query';
import type { Accessor } from 'solid-js';
import { api } from '../api/client.ts';
import type { CredentialView } from '../features/integrations/CredentialField.tsx';

/**
 * The integration settings (server-only, admins): the Desk card, the messaging channels and the two
 * Zendesk cards. Cached, refetched on focus and reconnect; list items keep their identity across a
 * refetch (`reconcile` by id), so a form an admin is typing in is not rebuilt when the window regains
 * focus. Each write is a mutation that puts the server's answer in the cache.
 */

/** `GET /api/integrations/channels`: one entry per settings group, secrets masked. */
export interface ChannelGroupView {
  id: 'telegram' | 'meta' | 'whatsapp' | 'messenger' | 'instagram' | 'smooch';
  configured: boolean;
  enabled: boolean;
  active: boolean;
  envOverrides: string[];
  requires: string | null;
  webhookUrl: string;
  fields: CredentialView[];
}

export interface ZendeskCards {
  support: ZendeskIntegrationView;
  messaging: ZendeskIntegrationView;
}

const DESK = ['integration-desk'];
const CHANNELS = ['integration-channels'];
const ZENDESK = ['integration-zendesk'];

export function createDeskIntegration() {
  return createQuery(() => ({
    queryKey: DESK,
    queryFn: async () => (await api<{ integration: DeskIntegration }>('/api/integrations/desk')).integration,
  }));
}

export function createDeskIntegrationSave() {
  const client = useQueryClient();
  return createMutation(() => ({
    mutationKey: ['integration-desk-save'],
    mutationFn: async (body: object) => (await api<{ integration: DeskIntegration }>('/api/integrations/desk', { method: 'PUT', body })).integration,
    onSuccess: (saved: DeskIntegration) => client.setQueryData(DESK, saved),
  }));
}

export function createChannelSettings() {
  return createQuery(() => ({
    queryKey: CHANNELS,
    queryFn: async () => (await api<{ channels: ChannelGroupView[] }>('/api/integrations/channels')).channels,
    reconcile: 'id',
  }));
}

/** Saves a channel group; a Meta save changes whether WhatsApp, Messenger and Instagram are on, so all are asked again. */
export function createChannelSave() {
  const client = useQueryClient();
  return createMutation(() => ({
    mutationKey: ['integration-channel-save'],
    mutationFn: async (input: { id: ChannelGroupView['id']; body: object }) =>
      (await api<{ channel: ChannelGroupView }>(`/api/integrations/channels/${input.id}`, { method: 'PUT', body: input.body })).channel,
    onSuccess: (saved: ChannelGroupView) => {
      if (saved.id === 'meta') return client.invalidateQueries({ queryKey: CHANNELS });
      client.setQueryData<ChannelGroupView[]>(CHANNELS, (list) => list?.map((group) => (group.id === saved.id ? saved : group)));
    },
  }));
}

export function createTelegramWebhookRegistration() {
  return createMutation(() => ({
    mutationKey: ['integration-telegram-webhook'],
    mutationFn: () => api<{ ok: boolean; url: string; description: string | null }>('/api/integrations/channels/telegram/register-webhook', { method: 'POST' }),
  }));
}

export function createZendeskCards(enabled: Accessor<boolean> = () => true) {
  return createQuery(() => ({
    queryKey: ZENDESK,
    queryFn: () => api<ZendeskCards>('/api/integrations/zendesk'),
    enabled: enabled(),
  }));
}

/** Which Zendesk integrations are connected (admins only: others read "none", which the server decides anyway). */
export function createZendeskConnections(enabled: Accessor<boolean>): Accessor<ConnectedIntegrations | null> {
  const cards = createZendeskCards(enabled);
  return () => {
    const current = cards.isError ? null : cards.data;
    return current ? { zendesk_support: current.support.connected, zendesk_messaging: current.messaging.connected } : null;
  };
}

/** Connects (saves the card, then tests the connection), or disconnects, one Zendesk integration. */
export function createZendeskConnection() {
  const client = useQueryClient();
  const keep = (card: ZendeskIntegrationView) => client.setQueryData<ZendeskCards>(ZENDESK, (cards) => (cards ? { ...cards, [card.id]: card } : cards));
  return createMutation(() => ({
    mutationKey: ['integration-zendesk-connection'],
    mutationFn: async (input: { id: ZendeskIntegrationView['id'] } & ({ connect: object } | { disconnect: true })) => {
      if ('disconnect' in input) {
        const answer = await api<{ integration: ZendeskIntegrationView }>(`/api/integrations/zendesk/${input.id}/disconnect`, { method: 'POST' });
        keep(answer.integration);
        return { ok: true, description: null };
      }
      const saved = await api<{ integration: ZendeskIntegrationView }>(`/api/integrations/zendesk/${input.id}`, { method: 'PUT', body: input.connect });
      keep(saved.integration);
      const answer = await api<{ ok: boolean; description: string; integration: ZendeskIntegrationView }>(`/api/integrations/zendesk/${input.id}/connect`, {
        method: 'POST',
      });
      keep(answer.integration);
      return { ok: answer.ok, description: answer.description as string | null };
    },
  }));
}
