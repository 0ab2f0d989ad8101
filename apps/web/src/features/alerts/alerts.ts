import type { Message } from '@desk/core';
import { createRoot, createSignal } from 'solid-js';
import { getMeta, setMeta } from '../../local/db.ts';
import { onPulledPage, type PulledPage } from '../../local/pull-observer.ts';
import type { DeskDb, LocalRead } from '../../local/index.ts';
import { type AlertEvent, type AlertSummary, detectAlerts, idsToCompare, mergeActivity, summarize } from './alert-events.ts';
import { playAlertSound } from './sound.ts';

/**
 * The alert pipeline: every pulled page is compared with the screen before it is applied
 * (`detectAlerts`); events gather until the sync run ends, then become ONE toast and ONE sound,
 * so what arrived while the app was closed or offline is announced once, not once per change.
 * The time of each ticket's last change by others is kept in the store's meta (`othersAt`),
 * which is what "unread" and the count in the title are computed from.
 */
export const ACTIVITY_KEY = 'alerts.othersAt';

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
  const [tickets, messages, outbox] = await Promise.all([db.tickets.bulkGet(ids.tickets), db.messages.bulkGet(ids.messages), db.outbox.toArray()]);
  const before = {
    tickets: new Map(ids.tickets.map((id, i) => [id, tickets[i]])),
    messages: new Set(messages.filter((m): m is Message => m !== undefined).map((m) => m.id)),
    acting: new Set(outbox.filter((e) => e.name !== 'ticket.markRead').flatMap((e) => ((e.args as { ticketId?: string }).ticketId ? [(e.args as { ticketId: string }).ticketId] : []))),
  };
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
  await db.transaction('rw', db.meta, db.reads, async () => {
    const activity = (await getMeta<Record<string, string>>(db, ACTIVITY_KEY)) ?? {};
    const ids = [...new Set([...Object.keys(activity), ...events.map((e) => e.ticketId)])];
    const reads = await db.reads.where('ticketId').anyOf(ids).toArray();
    const readAt = new Map(reads.map((r: LocalRead) => [r.ticketId, r.readAt]));
    await setMeta(db, ACTIVITY_KEY, mergeActivity(activity, events, (id) => readAt.get(id)));
  });
}

/** The last change by others per ticket (reactive through liveQuery by the callers). */
export async function othersActivity(db: DeskDb): Promise<Record<string, string>> {
  return (await getMeta<Record<string, string>>(db, ACTIVITY_KEY)) ?? {};
}
