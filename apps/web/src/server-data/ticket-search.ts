import type { Ticket } from '@desk/core';
import { createQuery } from '@tanstack/solid-query';
import type { Accessor } from 'solid-js';
import { api } from '../api/client.ts';

/** A ticket the server found: what the list row needs. */
export type ServerTicket = Ticket & { requester: { name: string; phone: string | null } };

/**
 * The server's ticket search (`GET /api/tickets?q=`), for what this device no longer keeps
 * (eviction): cached per text, refetched on focus and reconnect, with its own loading and error state.
 */
export function createServerTicketSearch(text: Accessor<string>, enabled: Accessor<boolean>) {
  return createQuery(() => ({
    queryKey: ['server-ticket-search', text().trim()],
    queryFn: async () => (await api<{ tickets: ServerTicket[] }>(`/api/tickets?q=${encodeURIComponent(text().trim())}&limit=20`)).tickets,
    enabled: enabled() && text().trim().length >= 2,
  }));
}
