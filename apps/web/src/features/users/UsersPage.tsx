import { type Agent, type Contact, can, formatPhone } from '@desk/core';
import { useSearchParams } from '@solidjs/router';
import { createVirtualizer } from '@tanstack/solid-virtual';
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { currentUser } from '../../auth/session.ts';
import { createLiveQuery } from '../../components/live-query.ts';
import { t } from '../../i18n/index.ts';
import { agentsByName, contactIdsByName, contactIdsWhere, contactsByIds, openTicketCounts } from '../../local/admin-queries.ts';
import { localSync } from '../../local/solid.ts';
import { EmptyState, PageHeader } from '../../shell/Page.tsx';
import { channelsOf, contactMatches, contactSearchOf } from './contact-search.ts';
import { UserDialog } from './UserDialog.tsx';

const ROW_ESTIMATE = 64;

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** End users: a searchable virtual list read from the local store, and their editor. */
export default function UsersPage() {
  const [params, setParams] = useSearchParams<{ q?: string; user?: string }>();
  const db = () => localSync()?.db;
  const canManage = () => {
    const user = currentUser();
    return user ? can(user.role, 'contacts.manage') : false;
  };

  const [query, setQuery] = createSignal(params.q ?? '');
  const [search, setSearch] = createSignal(contactSearchOf(query()));
  // Searching waits for a pause in typing; the URL keeps the search across reloads.
  createEffect(
    on(query, (value) => {
      const timer = setTimeout(() => {
        setSearch(contactSearchOf(value));
        setParams({ q: value.trim() || undefined }, { replace: true });
      }, 150);
      onCleanup(() => clearTimeout(timer));
    }, { defer: true }),
  );

  const ids = createLiveQuery(
    () => {
      const database = db();
      return database ? { database, search: search() } : null;
    },
    ({ database, search }) => (search ? contactIdsWhere(database, (c) => contactMatches(c, search)) : contactIdsByName(database)),
    null as string[] | null,
  );
  const agents = createLiveQuery(db, agentsByName, [] as Agent[]);
  const agentName = (id: string | null) => (id ? (agents().find((a) => a.id === id)?.name ?? '') : '');

  let scroller: HTMLDivElement | undefined;
  const virtualizer = createVirtualizer({
    get count() {
      return ids()?.length ?? 0;
    },
    getScrollElement: () => scroller ?? null,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
    getItemKey: (index) => ids()?.[index] ?? index,
  });

  // The rows on screen (and a few around): read together, with their open ticket counts.
  const visibleIds = createMemo<string[]>(
    () => {
      const all = ids() ?? [];
      return virtualizer
        .getVirtualItems()
        .map((item) => all[item.index])
        .filter((id): id is string => id !== undefined);
    },
    [],
    { equals: sameIds },
  );
  const visible = createLiveQuery(
    () => {
      const database = db();
      return database ? { database, ids: visibleIds() } : null;
    },
    async ({ database, ids }) => {
      const [rows, counts] = await Promise.all([contactsByIds(database, ids), openTicketCounts(database, ids)]);
      return { rows: new Map(rows.map((row) => [row.id, row])), counts };
    },
    { rows: new Map<string, Contact>(), counts: new Map<string, number>() },
  );

  const [status, setStatus] = createSignal('');
  const openUser = (id: string) => setParams({ user: id });
  const closeUser = (message?: string) => {
    setParams({ user: undefined });
    if (message) setStatus(message);
  };

  return (
    <section class="admin-page users-page">
      <PageHeader title={t('nav.users')}>
        <Show when={canManage()}>
          <button type="button" class="button primary" onClick={() => setParams({ user: 'new' })}>
            <span aria-hidden="true">+</span> {t('users.new')}
          </button>
        </Show>
      </PageHeader>

      <div class="field search-field">
        <label for="users-search" class="visually-hidden">
          {t('users.search')}
        </label>
        <input
          id="users-search"
          type="search"
          placeholder={t('users.searchPlaceholder')}
          value={query()}
          onInput={(event) => setQuery(event.currentTarget.value)}
          autocomplete="off"
        />
      </div>
      <p class="visually-hidden" role="status">
        {ids() === null ? '' : ids()?.length === 1 ? t('users.countOne') : t('users.count', { count: ids()?.length ?? 0 })}
      </p>
      <p class="page-status" role="status">
        {status()}
      </p>

      <Show when={ids() !== null} fallback={<p class="hint">{t('app.loading')}</p>}>
        <Show when={(ids()?.length ?? 0) === 0}>
          <EmptyState message={search() ? t('users.noMatch') : t('users.empty')} />
        </Show>
      </Show>
      <div class="list-head users-grid" aria-hidden="true" hidden={(ids()?.length ?? 0) === 0}>
        <span>{t('users.name')}</span>
        <span>{t('users.phone')}</span>
        <span>{t('users.email')}</span>
        <span>{t('users.channels')}</span>
        <span>{t('users.designatedAgent')}</span>
        <span>{t('users.openTickets')}</span>
      </div>
      {/* Always in the page, so the virtualizer measures it from the start (hidden while empty). */}
      <div ref={scroller} class="virtual-scroller" tabindex="-1" hidden={(ids()?.length ?? 0) === 0}>
        <ul class="virtual-list" aria-label={t('users.listLabel')} style={{ height: `${virtualizer.getTotalSize()}px` }}>
          <For each={virtualizer.getVirtualItems()}>
            {(item) => {
              const id = () => ids()?.[item.index];
              const contact = () => {
                const key = id();
                return key ? visible().rows.get(key) : undefined;
              };
              return (
                <li
                  class="user-row users-grid"
                  data-index={item.index}
                  aria-setsize={ids()?.length ?? 0}
                  aria-posinset={item.index + 1}
                  ref={(el) => queueMicrotask(() => virtualizer.measureElement(el))}
                  style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)` }}
                >
                  <Show when={contact()} fallback={<span class="hint">…</span>}>
                    {(c) => (
                      <>
                        <button type="button" class="link-button row-title" onClick={() => openUser(c().id)}>
                          {c().name}
                        </button>
                        <span class="cell">
                          <span class="cell-label">{t('users.phone')}: </span>
                          {c().phone ? formatPhone(c().phone ?? '') : '—'}
                        </span>
                        <span class="cell">
                          <span class="cell-label">{t('users.email')}: </span>
                          {c().email ?? '—'}
                        </span>
                        <span class="cell">
                          <span class="cell-label">{t('users.channels')}: </span>
                          {channelsOf(c())
                            .map((channel) => t(`users.channel.${channel}`))
                            .join(', ') || '—'}
                        </span>
                        <span class="cell">
                          <span class="cell-label">{t('users.designatedAgent')}: </span>
                          {agentName(c().designatedAgentId) || '—'}
                        </span>
                        <span class="cell">
                          <span class="cell-label">{t('users.openTickets')}: </span>
                          {visible().counts.get(c().id) ?? 0}
                        </span>
                      </>
                    )}
                  </Show>
                </li>
              );
            }}
          </For>
        </ul>
      </div>

      <Show when={db()}>
        {(database) => (
          <UserDialog
            db={database()}
            userParam={params.user}
            agents={agents()}
            canManage={canManage()}
            onOpenUser={openUser}
            onClose={closeUser}
          />
        )}
      </Show>
    </section>
  );
}
