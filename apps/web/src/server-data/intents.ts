import { type Intent, IntentWarnings } from '@desk/core';
import { createMutation, createQuery, useQueryClient } from '@tanstack/solid-query';
import type { Accessor } from 'solid-js';
import { api } from '../api/client.ts';

/**
 * The intents' server-side data: writes (the intents themselves are synced to this device), the
 * warnings the server computes after training, and "Try it" (the bot as trained now).
 */

const WARNINGS = 'intent-warnings';
/** While the server is still checking the current intents, ask again this often. */
const CHECKING_POLL_MS = 1000;

/** The warnings for a version of the intents (asked again when the intents on this device change). */
export function createIntentWarnings(version: Accessor<string>) {
  return createQuery(() => ({
    queryKey: [WARNINGS, version()],
    queryFn: async () => IntentWarnings.parse(await api<unknown>('/api/intents/warnings')),
    refetchInterval: (q: { state: { data?: IntentWarnings } }) => (q.state.data?.state === 'checking' ? CHECKING_POLL_MS : false),
  }));
}

/** Creates an intent (answers it) or saves one; the warnings are asked again. */
export function createIntentSave() {
  const client = useQueryClient();
  return createMutation(() => ({
    mutationKey: ['intent-save'],
    mutationFn: async (input: { id: string | null; body: object }): Promise<Intent | null> => {
      if (input.id) {
        await api(`/api/intents/${encodeURIComponent(input.id)}`, { method: 'PATCH', body: input.body });
        return null;
      }
      return (await api<{ intent: Intent }>('/api/intents', { method: 'POST', body: input.body })).intent;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: [WARNINGS] }),
  }));
}

/** Deletes an intent; the warnings are asked again. */
export function createIntentDelete() {
  const client = useQueryClient();
  return createMutation(() => ({
    mutationKey: ['intent-delete'],
    mutationFn: (id: string) => api<void>(`/api/intents/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: [WARNINGS] }),
  }));
}

export interface TryResult {
  intent: { id: string; name: string } | null;
  confidence: number;
  language: string;
  answer: string | null;
  ranking: { intent: { id: string; name: string }; confidence: number }[];
  decision: 'answer' | 'ask' | 'fallback';
}

/** "Try it": which intent the bot reads in a sentence (a mutation: each try is asked, never cached). */
export function createIntentTry() {
  return createMutation(() => ({
    mutationKey: ['intent-try'],
    mutationFn: (text: string) => api<TryResult>('/api/intents/try', { method: 'POST', body: { text } }),
  }));
}
