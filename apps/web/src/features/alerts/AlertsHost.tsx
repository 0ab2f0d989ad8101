import { exhaustiveSwitchError } from '@desk/core';
import { A } from '@solidjs/router';
import { createEffect, For, Match, onCleanup, onMount, Switch } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { readsOfTickets } from '../../local/activity-data.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';
import { firstScreenPainted } from '../../shell/first-screen.ts';
import { allAgents } from '../../local/ticket-data.ts';
import { isUnread } from '../tickets/unread.ts';
import type { AlertEvent, AlertSummary } from './alert-events.ts';
import { dismissToast, flushAlerts, othersActivity, toasts } from './alerts.ts';
import { prepareSound } from './sound.ts';
import './alerts.css';

/** The signed-in agent's unread count: tickets changed by others since the agent last read them. */
export function useUnreadCount() {
  return useLiveQuery(() => {
    const sync = localSync();
    return sync && firstScreenPainted()
      ? async () => {
          const activity = await othersActivity(sync.db);
          const ids = Object.keys(activity);
          const reads = await readsOfTickets(sync.db, ids);
          const readOf = new Map(reads.map((r) => [r.ticketId, r]));
          return ids.filter((id) => isUnread(readOf.get(id), activity[id])).length;
        }
      : null;
  }, 0);
}

const TITLE_COUNT = /^\(\d+\) /;

/** Keeps "(N) " in front of whatever title the page sets, and the app badge in step. */
function useTitleCount(count: () => number) {
  const apply = () => {
    const base = document.title.replace(TITLE_COUNT, '');
    const next = count() > 0 ? `(${count()}) ${base}` : base;
    if (document.title !== next) document.title = next;
  };
  createEffect(() => {
    count();
    apply();
    const nav = navigator as Navigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
    if (count() > 0) void nav.setAppBadge?.(count()).catch(() => undefined);
    else void nav.clearAppBadge?.().catch(() => undefined);
  });
  onMount(() => {
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    onCleanup(() => observer.disconnect());
  });
}

function ToastText(props: { summary: AlertSummary; agentName: (id: string | null) => string }) {
  const eventText = (event: AlertEvent): string => {
    const number = event.number ?? '?';
    switch (event.kind) {
      case 'created':
        return t('alerts.created', { number, subject: event.subject });
      case 'message':
        return t(event.author === 'user' ? 'alerts.messageUser' : 'alerts.messageAgent', { number, text: event.text.slice(0, 120) });
      case 'assigned':
        return event.assigneeId ? t('alerts.assigned', { number, name: props.agentName(event.assigneeId) }) : t('alerts.unassigned', { number });
      case 'status':
        return t('alerts.status', { number, status: t(`status.${event.status}`) });
      case 'mention':
        return t('alerts.mention', { number, name: props.agentName(event.authorId), text: event.text.slice(0, 120) });
      default:
        return exhaustiveSwitchError(event, 'alert event');
    }
  };
  return (
    <Switch>
      <Match when={props.summary.kind === 'one' && props.summary}>{(s) => eventText(s().event)}</Match>
      <Match when={props.summary.kind === 'ticket' && props.summary}>{(s) => t('alerts.ticket', { number: s().number ?? '?', count: s().updates })}</Match>
      <Match when={props.summary.kind === 'many' && props.summary}>
        {(s) => s().created > 0
              ? t('alerts.manyCreated', { count: s().tickets, updates: s().updates, created: t('alerts.newOnes', { count: s().created }) })
              : t('alerts.many', { count: s().tickets, updates: s().updates })}
      </Match>
    </Switch>
  );
}

function ticketOf(summary: AlertSummary): string | null {
  if (summary.kind === 'one') return summary.event.ticketId;
  if (summary.kind === 'ticket') return summary.ticketId;
  return null;
}

/**
 * Alerts on every page of the signed-in app: the toasts (a polite live region), the count in
 * the title and app badge, and the end-of-sync flush that turns a run's events into one alert.
 */
export function AlertsHost() {
  onMount(prepareSound);
  createEffect(() => {
    const sync = localSync();
    if (!sync) return;
    let syncing = sync.status.get().syncing;
    const off = sync.status.subscribe((status) => {
      if (syncing && !status.syncing) void flushAlerts();
      syncing = status.syncing;
    });
    onCleanup(off);
  });
  const agents = useLiveQuery(() => {
    const sync = localSync();
    return sync && firstScreenPainted() ? () => allAgents(sync.db) : null;
  }, []);
  const agentName = (id: string | null) => agents().find((a) => a.id === id)?.name ?? '?';
  useTitleCount(useUnreadCount());
  return (
    <section class="alert-toasts" aria-label={t('alerts.region')}>
      <div role="status" aria-label={t('alerts.region')}>
        <For each={toasts()}>
          {(toast) => (
            <div class="alert-toast" data-testid="alert-toast">
              <p>
                <ToastText summary={toast.summary} agentName={agentName} />
              </p>
              <div class="alert-toast-actions">
                {(() => {
                  const id = ticketOf(toast.summary);
                  return id ? (
                    <A href={`/tickets?ticket=${encodeURIComponent(id)}`} onClick={() => dismissToast(toast.id)}>
                      {t('alerts.open')}
                    </A>
                  ) : null;
                })()}
                <button type="button" class="button ghost" onClick={() => dismissToast(toast.id)}>
                  {t('alerts.dismiss')}
                </button>
              </div>
            </div>
          )}
        </For>
      </div>
    </section>
  );
}
