import { createRoot, createSignal } from 'solid-js';
import { screenBefore, updateActivity } from '../../local/activity-data.ts';
import type { DeskDb } from '../../local/index.ts';
import { onPulledPage, type PulledPage } from '../../local/pull-observer.ts';
import { type AlertEvent, type AlertSummary, detectAlerts, idsToCompare, mergeActivity, summarize } from './alert-events.ts';
import { playAlertSound } from './sound.ts';

/**
 * The alert pipeline: every pulled page is compared with the screen before it is applied
 * (`detectAlerts`); events gather until the sync run ends, then become ONE toast and ONE sound,
 * so what arrived while the app was closed or offline is announced once, not once per change.
 * The time of each ticket's last change by others is kept in the store's meta (`othersAt`),
 * which is what "unread" and the count in the title are computed from.
 */
export { ACTIVITY_KEY, othersActivity } from '../../local/activity-data.ts';

export interface Toast {
  id: number;
  summary: AlertSummary;
}

const state = createRoot(() => {
  const [toasts, setToasts] = createSignal<Toast[]>([]);
  return { toasts, setToasts };
});

export const toasts = state.toasts;

let pending: AlertEvent[] = [];
let pendingDb: DeskDb | null = null;
let nextToast = 1;
const TOAST_MS = 10_000;

export function dismissToast(id: number): void {
  state.setToasts((list) => list.filter((toast) => toast.id !== id));
}

function showToast(summary: AlertSummary): void {
  const id = nextToast++;
  // Newest first; a handful at most.
  state.setToasts((list) => [{ id, summary }, ...list].slice(0, 3));
  setTimeout(() => dismissToast(id), TOAST_MS);
}

async function collect({ page, from, db, agentId }: PulledPage): Promise<void> {
  if (from === 0) return; // the bootstrap: the whole data set, nothing is "new"
  const ids = idsToCompare(page.changes);
  if (ids.tickets.length === 0 && ids.messages.length === 0) return;
  const before = await screenBefore(db, ids);
  const events = detectAlerts(page.changes, before, agentId);
  if (events.length === 0) return;
  pending.push(...events);
  pendingDb = db;
}

onPulledPage(collect);

/**
 * Only one tab syncs (Web Locks), but the agent may be looking at another: the syncing tab tells
 * the others, which show the same toast. The sound plays once, in the syncing tab.
 */
const otherTabs = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('desk.alerts');
otherTabs?.addEventListener('message', (event: MessageEvent<{ type?: string; summary?: AlertSummary }>) => {
  if (event.data?.type === 'alert' && event.data.summary) showToast(event.data.summary);
});

/** Ends a sync run: one toast and one sound for everything it brought, and the unread times saved. */
export async function flushAlerts(): Promise<void> {
  const events = pending;
  const db = pendingDb;
  pending = [];
  if (events.length === 0 || !db) return;
  const summary = summarize(events);
  showToast(summary);
  otherTabs?.postMessage({ type: 'alert', summary });
  playAlertSound();
  await recordActivity(db, events);
}

async function recordActivity(db: DeskDb, events: readonly AlertEvent[]): Promise<void> {
  await updateActivity(
    db,
    events.map((e) => e.ticketId),
    (activity, readAt) => mergeActivity(activity, events, readAt),
  );
}
