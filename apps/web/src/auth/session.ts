import type { Agent, Role } from '@desk/core';
import { createRoot, createSignal } from 'solid-js';
import { api, isApiError, setUnauthenticatedHandler } from '../api/client.ts';
import { databaseName } from '../local/database-name.ts';
import { FIRST_TICKET_PAGE, forgetFirstTicketPage, prefetchFirstTicketPage } from '../local/first-ticket-page.ts';
import { fetchSnapshot } from '../local/snapshot-request.ts';
import { whenFirstScreenPainted } from '../shell/first-screen.ts';

/**
 * The signed-in agent. The session itself is an HttpOnly cookie; the agent's public fields are also
 * kept in localStorage so the shell renders offline after a reload.
 */
const STORAGE_KEY = 'desk.user';

function readCachedUser(): Agent | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? toAgent(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

const ROLES: readonly Role[] = ['agent', 'admin'];

/** Keeps only the public fields of an agent; null when something essential is missing. */
export function toAgent(value: unknown): Agent | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const str = (key: string) => (typeof v[key] === 'string' ? (v[key] as string) : '');
  if (!str('id') || !ROLES.includes(v.role as Role)) return null;
  return {
    id: str('id'),
    name: str('name'),
    email: str('email'),
    role: v.role as Role,
    active: v.active !== false,
    createdAt: str('createdAt'),
    updatedAt: str('updatedAt'),
  };
}

/**
 * The same agent (the start-up session check answers the cached agent again): no change. Otherwise every
 * reader of the user ran again at each start, the list's live queries among them (its 5,000 ids were read
 * twice, and the second read dropped the first).
 */
const sameAgent = (a: Agent | null, b: Agent | null) => a === b || (a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));

const state = createRoot(() => {
  const cached = readCachedUser();
  const [user, setUser] = createSignal<Agent | null>(cached, { equals: sameAgent });
  // Without a cached user we wait for /api/auth/me before deciding between the shell and the login page.
  const [checking, setChecking] = createSignal(cached === null);
  return { user, setUser, checking, setChecking };
});

/** The signed-in agent, or null (reactive). */
export const currentUser = state.user;
/** True while the first session check runs and there is no cached user to show meanwhile. */
export const sessionChecking = state.checking;

/** What the app keeps in localStorage about a signed-in agent's work goes under this prefix: signing out removes it. */
export const AGENT_DATA_PREFIX = 'desk.agent.';

/** On a device new to the agent, the first list page is asked for as sign-in succeeds (local/first-ticket-page.ts). */
function askFirstTicketPage(agentId: string): void {
  prefetchFirstTicketPage(databaseName(agentId), () => fetchSnapshot(FIRST_TICKET_PAGE));
}

function remember(user: Agent | null): void {
  const publicUser = user ? toAgent(user) : null;
  if (!publicUser) forgetFirstTicketPage();
  state.setUser(publicUser);
  try {
    if (publicUser) localStorage.setItem(STORAGE_KEY, JSON.stringify(publicUser));
    else {
      localStorage.removeItem(STORAGE_KEY);
      for (const key of Object.keys(localStorage)) if (key.startsWith(AGENT_DATA_PREFIX)) localStorage.removeItem(key);
    }
  } catch {
    // storage unavailable: the session still works for this visit
  }
}

/**
 * Asks the server who is signed in. A 401 signs out; no answer (offline, server down) keeps the
 * cached user, so the PWA keeps working offline.
 */
export async function refreshSession(): Promise<void> {
  try {
    const { user } = await api<{ user: Agent }>('/api/auth/me');
    remember(user);
  } catch (error) {
    if (isApiError(error) && error.status === 401) remember(null);
  } finally {
    state.setChecking(false);
  }
}

export async function signIn(email: string, password: string): Promise<Agent> {
  const { user } = await api<{ token: string; user: Agent }>('/api/auth/login', {
    method: 'POST',
    body: { email, password },
  });
  askFirstTicketPage(user.id);
  remember(user);
  return user;
}

export type PasswordLinkState = 'valid' | 'used' | 'expired' | 'unknown';

/** Whether a set-password link can still be used (asked before showing the form). */
export async function checkPasswordLink(token: string): Promise<PasswordLinkState> {
  const { state } = await api<{ state: PasswordLinkState }>('/api/auth/set-password/check', { method: 'POST', body: { token } });
  return state;
}

/** Sets the password with a one-time link; the server signs the agent in (every older session ends). */
export async function setPasswordWithLink(token: string, password: string): Promise<Agent> {
  const { user } = await api<{ token: string; user: Agent }>('/api/auth/set-password', { method: 'POST', body: { token, password } });
  askFirstTicketPage(user.id);
  remember(user);
  return user;
}

/** Ends the session on the server, then here. Throws NetworkError when offline (still signed in). */
export async function signOut(): Promise<void> {
  try {
    await api<void>('/api/auth/logout', { method: 'POST' });
  } catch (error) {
    if (!(isApiError(error) && error.status === 401)) throw error;
  }
  remember(null);
}

/**
 * The signed-in agent's own row changed on the server (an admin changed their role, name…) and sync
 * brought it: the shell follows at once (navigation, admin pages), without signing in again.
 */
export function adoptChangedSelf(value: unknown): void {
  const changed = toAgent(value);
  const current = state.user();
  // The same row again (every first download brings it) changes nothing: setting the user restarts the sync.
  if (changed && current && changed.id === current.id && JSON.stringify(changed) !== JSON.stringify(current)) remember(changed);
}

let started = false;
/** Wires the session to the rest of the app once: 401 anywhere, other tabs, coming back online. */
export function startSession(): void {
  if (started) return;
  started = true;
  setUnauthenticatedHandler(() => remember(null));
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY) state.setUser(readCachedUser());
  });
  window.addEventListener('online', () => void refreshSession());
  // With a cached agent the shell and the list are drawn from it already: the check, whose answer is
  // nearly always that same agent, waits until the first screen has painted (its answer was handled
  // between the app's first render and the frame painting the list, on a phone-class CPU).
  if (state.user() === null) void refreshSession();
  else whenFirstScreenPainted(() => void refreshSession());
}
