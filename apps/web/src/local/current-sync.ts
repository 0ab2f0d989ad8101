import { createMemo, createRoot } from 'solid-js';
import { currentUser } from '../auth/session.ts';
import { type LocalSync, startLocalSync } from './local-sync.ts';

/**
 * The signed-in agent's local store and sync, shared by every page of this tab: started on first
 * use, replaced when another agent signs in, stopped on sign-out. Reactive (call it in JSX or an
 * effect); null while nobody is signed in.
 */
const current = createRoot(() =>
  createMemo<LocalSync | null>((previous) => {
    const agentId = currentUser()?.id ?? null;
    if (previous && previous.agentId === agentId) return previous;
    previous?.stop();
    return agentId ? startLocalSync(agentId) : null;
  }, null),
);

export function currentLocalSync(): LocalSync | null {
  return current();
}
