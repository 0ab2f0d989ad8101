import { type MissAction, MissActionResult, MissConversation, MissGroups } from '@desk/core';
import { createMutation, createQuery, useQueryClient } from '@tanstack/solid-query';
import type { Accessor } from 'solid-js';
import { api } from '../api/client.ts';

/**
 * The misses inbox (server-only, admins): the bot's misses grouped by likeness, one miss's whole
 * conversation, and what an admin does with a group. Never taken as fresh: new misses arrive all
 * the time, and the groups change with every action.
 */
const MISSES = ['misses'];

export function createMissGroups() {
  return createQuery(() => ({ queryKey: MISSES, queryFn: async () => MissGroups.parse(await api<unknown>('/api/misses')), staleTime: 0 }));
}

export function createMissConversation(conversationId: Accessor<string>) {
  return createQuery(() => ({
    queryKey: [...MISSES, 'conversation', conversationId()],
    queryFn: async () => MissConversation.parse(await api<unknown>(`/api/misses/conversations/${encodeURIComponent(conversationId())}`)),
    staleTime: 0,
  }));
}

/** Adds a group's messages to an intent, makes an intent of them, or dismisses them; the groups are read again. */
export function createMissAction() {
  const client = useQueryClient();
  return createMutation(() => ({
    mutationKey: ['miss-action'],
    mutationFn: async (action: MissAction) => MissActionResult.parse(await api<unknown>('/api/misses/actions', { method: 'POST', body: action })),
    onSuccess: () => client.invalidateQueries({ queryKey: MISSES }),
  }));
}

/** The queries a change of the misses' retention makes stale. */
export function invalidateMisses(client: ReturnType<typeof useQueryClient>): Promise<void> {
  return client.invalidateQueries({ queryKey: MISSES });
}
