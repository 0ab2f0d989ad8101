import { Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { statusKind } from '../../local/status.ts';
import { localSync, syncStatus, useLiveQuery } from '../../local/solid.ts';
import { dismissNotice, notices as noticesOf, ticketsByIds } from '../../local/ticket-data.ts';
import { firstScreenPainted } from '../../shell/first-screen.ts';

/** online / offline / syncing / N changes waiting, announced politely to screen readers. */
export function SyncIndicator() {
  const kind = () => statusKind(syncStatus());
  return (
    <p class={`sync-indicator sync-${kind()}`} role="status" aria-label={t('sync.label')} data-sync={kind()} data-waiting={syncStatus().waiting}>
      <span>{kind() === 'offline' ? t('sync.offline') : kind() === 'syncing' ? t('sync.syncing') : t('sync.online')}</span>
      <Show when={syncStatus().waiting > 0}>
        <span class="sync-waiting"> · {t('sync.waiting', { count: syncStatus().waiting })}</span>
      </Show>
    </p>
  );
}

/** Changes the server refused, with the reason; nothing vanishes silently. */
export function SyncNotices() {
  const notices = useLiveQuery(() => {
    const sync = localSync();
    return sync && firstScreenPainted() ? () => noticesOf(sync.db) : null;
  }, []);
  const tickets = useLiveQuery(() => {
    const sync = localSync();
    const ids = notices().flatMap((n) => (n.ticketId ? [n.ticketId] : []));
    return sync && ids.length > 0 ? () => ticketsByIds(sync.db, ids) : null;
  }, []);
  const label = (ticketId: string | null) => {
    const ticket = tickets().find((candidate) => candidate?.id === ticketId);
    return ticket ? `#${ticket.number}` : '';
  };
  return (
    <Show when={notices().length > 0}>
      <section class="sync-notices" aria-label={t('sync.notices')}>
        <ul>
          {notices().map((notice) => (
            <li role="alert" class="sync-notice">
              <span>{t('sync.notSent', { ticket: label(notice.ticketId), reason: notice.error.message })}</span>{' '}
              <button type="button" onClick={() => {
                  const sync = localSync();
                  if (sync) void dismissNotice(sync.db, notice.id as number);
                }}>
                {t('sync.dismiss')}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </Show>
  );
}
