import type { Agent } from '@desk/core';
import { createMutation } from '@tanstack/solid-query';
import { api } from '../api/client.ts';

/**
 * The team's writes (the list itself is synced to this device: `local/admin-queries.ts`). Each is a
 * mutation with its own pending and error state; the change comes back through sync.
 */

/** Creates an agent (answers the one-time set-password link when no password was given) or edits one. */
export function createAgentSave() {
  return createMutation(() => ({
    mutationKey: ['agent-save'],
    // The bodies are the forms' values as typed; the server validates them with the same schemas.
    mutationFn: (input: { id: string; patch: object } | { id?: undefined; create: object }) =>
      input.id !== undefined
        ? api<{ agent: Agent }>(`/api/agents/${encodeURIComponent(input.id)}`, { method: 'PATCH', body: input.patch }).then((answer) => ({
            agent: answer.agent,
            setPasswordUrl: null,
          }))
        : api<{ agent: Agent; setPasswordUrl: string | null }>('/api/agents', { method: 'POST', body: input.create }),
  }));
}

/** Deactivates or reactivates an agent. */
export function createAgentActivation() {
  return createMutation(() => ({
    mutationKey: ['agent-activation'],
    mutationFn: (input: { agent: Agent; active: boolean }) =>
      api<{ agent: Agent }>(`/api/agents/${encodeURIComponent(input.agent.id)}`, { method: 'PATCH', body: { active: input.active } }),
  }));
}
