import { useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import { currentUser } from '../../auth/session.ts';
import { t } from '../../i18n/index.ts';
import { localSync } from '../../local/solid.ts';
import { PageHeader } from '../../shell/Page.tsx';
import { useUnreadCount } from '../alerts/AlertsHost.tsx';
import { REPLY_ID } from './Composer.tsx';
import { ListFilters } from './ListFilters.tsx';
import { type RowData, useAgents, useTicketIds } from './list-data.ts';
import { keepListSnapshot, readListPlaceholder } from './list-snapshot.ts';
import { type ListParams, type ListQuery, listParamsOf, parseListParams } from './list-params.ts';
import { SyncIndicator, SyncNotices } from './SyncIndicator.tsx';
import { ServerResults } from './ServerResults.tsx';
import { TicketList } from './TicketList.tsx';
import { TicketView } from './TicketView.tsx';
import { prefetchTicket } from './ticket-bundle.ts';
import './tickets.css';

/** Keys typed into a field belong to the field; only Esc works everywhere. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The agent workspace: the filtered ticket list and the open ticket (`?ticket=<id>`), side by
 * side on a desktop, one after the other on a phone. Filters live in the URL.
 */
export default function TicketsPage() {
  const [params, setParams] = useSearchParams<ListParams & { ticket?: string }>();
  const query = createMemo(() => parseListParams(params), undefined, { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) });
  // A ticket opened from the list shows at once; its history entry is added once it has painted (the
  // router's pushState costs a phone-class CPU tens of milliseconds between the tap and the messages).
  const [opening, setOpening] = createSignal<string | null>(null);
  let commitTimer: ReturnType<typeof setTimeout> | undefined;
  const cancelOpening = () => {
    clearTimeout(commitTimer);
    setOpening(null);
  };
  // Back (or forward) before that entry was added leaves the ticket being opened too.
  const onHistory = () => opening() !== null && cancelOpening();
  window.addEventListener('popstate', onHistory);
  onCleanup(() => {
    clearTimeout(commitTimer);
    window.removeEventListener('popstate', onHistory);
  });
  /** Adds the history entry of the ticket being opened (when its view has painted, or soon anyway). */
  const commitOpening = () => {
    const id = opening();
    if (id === null) return;
    clearTimeout(commitTimer);
    setParams({ ticket: id });
  };
  // The router applies a new entry in a transition, after this turn: the ticket stays "opening" until
  // the URL names it, so `selected()` never passes through null and its view is not built twice
  // (which dropped the focus and anything begun in the view meanwhile).
  createEffect(() => {
    const id = opening();
    if (id !== null && params.ticket === id) setOpening(null);
  });
  const selected = () => opening() ?? (typeof params.ticket === 'string' && params.ticket ? params.ticket : null);
  // The last session's first page shows while the store opens (an installed app opened again).
  const placeholder = readListPlaceholder(currentUser()?.id, query());
  const list = useTicketIds(query, placeholder?.list);
  const keepFirstRows = (rows: RowData[]) => {
    const me = currentUser()?.id;
    if (me) keepListSnapshot(me, query(), list(), rows, (id) => agents().find((a) => a.id === id)?.name);
  };
  const agents = useAgents();
  const unread = useUnreadCount();
  let scrollTo: ((index: number) => void) | undefined;

  // The filters' part of a row's link, built once per set of filters (each row drawn while scrolling asks for its link).
  const listSearch = createMemo(() => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(listParamsOf(query()))) if (value) search.set(key, value);
    return search.toString();
  });
  const hrefOf = (id: string) => {
    const filters = listSearch();
    return `/tickets?${filters ? `${filters}&` : ''}${new URLSearchParams({ ticket: id }).toString()}`;
  };
  // The ticket whose history entry sits right above the list it was opened from: for it, "back" (the
  // button, Esc, the browser's or Android's back) is one history step, and the list comes back as it was.
  let listBelowFor: string | null = null;
  /** Opens a ticket (null: back to the list); `reveal` scrolls the list to its row (j/k), not needed for a row just tapped. */
  const open = (id: string | null, reveal = true) => {
    if (id === null) {
      setParams({ ticket: undefined });
      return;
    }
    const fromList = selected() === null || opening() !== null;
    // Moving from ticket to ticket (j/k, the user's other tickets) replaces the entry: back is the list.
    if (fromList) listBelowFor = id;
    else if (listBelowFor === selected()) listBelowFor = id;
    if (fromList) {
      cancelOpening();
      setOpening(id);
      commitTimer = setTimeout(commitOpening, 500);
    } else setParams({ ticket: id }, { replace: true });
    if (!reveal) return;
    const index = list().ids.indexOf(id);
    if (index >= 0) scrollTo?.(index);
  };
  // The ticket's reads start when the finger touches its row, before the tap is complete.
  const prefetch = (id: string, row: RowData | undefined) => {
    const sync = localSync();
    const me = currentUser()?.id;
    if (sync && me && id !== selected()) prefetchTicket(sync.db, id, me, row);
  };
  const setQuery = (next: ListQuery) => {
    // The list entry below an open ticket now has other filters than the list on screen.
    if (selected()) listBelowFor = null;
    setParams({ ...listParamsOf(next) }, { replace: true });
  };

  const back = () => {
    if (opening() !== null) {
      // Its history entry isn't there yet: there is nothing to go back through.
      cancelOpening();
      listBelowFor = null;
    } else if (listBelowFor !== null && listBelowFor === selected()) history.back();
    else open(null);
  };
  // Back in the list, on the row the agent came from (the list kept its scroll position).
  createEffect(
    on(selected, (now, before) => {
      if (now !== null || !before) return;
      listBelowFor = null;
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`.ticket-row[data-ticket-id="${CSS.escape(before)}"]`)?.focus({ preventScroll: true }));
    }),
  );

  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Escape') {
      if (document.querySelector('dialog[open]')) return;
      if (selected()) {
        event.preventDefault();
        back();
      }
      return;
    }
    if (typingIn(event.target)) return;
    if (event.key === 'j' || event.key === 'k') {
      const ids = list().ids;
      if (ids.length === 0) return;
      const at = selected() ? ids.indexOf(selected() as string) : -1;
      const next = event.key === 'j' ? Math.min(ids.length - 1, at + 1) : at < 0 ? 0 : Math.max(0, at - 1);
      event.preventDefault();
      open(ids[next] ?? null);
    } else if (event.key === 'r' && selected()) {
      const reply = document.getElementById(REPLY_ID);
      if (reply) {
        event.preventDefault();
        reply.focus();
      }
    }
  };
  onMount(() => document.addEventListener('keydown', onKey));
  onCleanup(() => document.removeEventListener('keydown', onKey));

  return (
    <section class="tickets-page" classList={{ 'has-selection': selected() !== null }}>
      <PageHeader title={t('nav.tickets')}>
        <Show when={unread() > 0}>
          <span class="unread-badge">{t('ws.unreadCount', { count: unread() })}</span>
        </Show>
        <SyncIndicator />
      </PageHeader>
      <SyncNotices />
      <div class="tickets-layout" classList={{ 'has-selection': selected() !== null }}>
        <TicketList list={list()} placeholder={placeholder ?? undefined} onFirstRows={keepFirstRows} selectedId={selected()} hrefOf={hrefOf} onOpen={(id) => open(id, false)} onPress={prefetch} agents={agents()} scrollRef={(fn) => (scrollTo = fn)}>
          <ListFilters query={query()} onChange={setQuery} agents={agents()} counts={list().counts} total={list().ready || !placeholder ? list().ids.length : placeholder.total} />
          <ServerResults text={query().q} hrefOf={hrefOf} onOpen={open} />
        </TicketList>
        <div class="ticket-pane">
          <Show when={selected()} fallback={<p class="ticket-placeholder">{t('ticket.select')} {t('ws.keys')}</p>} keyed>
            {(id) => <TicketView ticketId={id} agents={agents()} onPainted={commitOpening} onBack={back} hrefOf={hrefOf} onOpen={open} />}
          </Show>
        </div>
      </div>
    </section>
  );
}
