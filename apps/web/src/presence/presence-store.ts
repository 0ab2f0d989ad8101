import type { PresenceEntry } from '@desk/core';
import { createRoot, createSignal } from 'solid-js';

/**
 * Who else has which ticket open, as the sync stream last said (memory only: never in IndexedDB).
 * Null while unknown: offline, or the stream is down. Then nothing is shown, rather than presence
 * that may be stale.
 */
const state = createRoot(() => {
  const [entries, setEntries] = createSignal<PresenceEntry[] | null>(null);
  return { entries, setEntries };
});

export function setPresence(entries: PresenceEntry[] | null): void {
  state.setEntries(entries);
}

/** The other agents on this ticket (reactive); empty while presence is unknown. */
export function othersOnTicket(ticketId: string): PresenceEntry[] {
  return (state.entries() ?? []).filter((entry) => entry.ticketId === ticketId);
}

/** Ticket id → the other agents who have it open (reactive), for the list's markers. */
export function openTickets(): ReadonlyMap<string, PresenceEntry[]> {
  const map = new Map<string, PresenceEntry[]>();
  for (const entry of state.entries() ?? []) map.set(entry.ticketId, [...(map.get(entry.ticketId) ?? []), entry]);
  return map;
}
