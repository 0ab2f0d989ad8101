import type { ZendeskHandOffView } from '@desk/core';
import { createMutation, createQuery } from '@tanstack/solid-query';
import type { Accessor } from 'solid-js';
import { api } from '../api/client.ts';

/**
 * What of an end user lives only on the server: their hand-offs to Zendesk (read online; none while
 * offline), and deleting them (the change comes back through sync; their tickets stay).
 */
export function createZendeskHandOffs(contactId: Accessor<string>) {
  return createQuery(() => ({
    queryKey: ['contact-zendesk-handoffs', contactId()],
    queryFn: async () => (await api<{ handoffs: ZendeskHandOffView[] }>(`/api/contacts/${encodeURIComponent(contactId())}/zendesk-handoffs`)).handoffs,
    staleTime: 0,
  }));
}

export function createContactDelete() {
  return createMutation(() => ({
    mutationKey: ['contact-delete'],
    mutationFn: (contactId: string) => api<void>(`/api/contacts/${encodeURIComponent(contactId)}`, { method: 'DELETE' }),
  }));
}
