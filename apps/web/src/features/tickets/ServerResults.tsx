import { For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { hasEvicted } from '../../local/eviction.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';
import { ticketsByIds } from '../../local/ticket-data.ts';
import { createServerTicketSearch } from '../../server-data/ticket-search.ts';

/**
 * While searching on a device that dropped old tickets (eviction), the server is searched too, and
 * what it finds that this device doesn't have is listed apart, saying so. Opening one fetches it.
 */
export function ServerResults(props: { text: string; hrefOf: (id: string) => string; onOpen: (id: string) => void }) {
  const searching = () => props.text.trim().length >= 2;
  // Asked only while searching: nothing else needs it.
  const evicted = useLiveQuery(() => {
    const sync = localSync();
    return sync && searching() ? () => hasEvicted(sync.db) : null;
  }, false);
  const search = createServerTicketSearch(() => props.text, evicted);
  // What the server found that is not on this device (asked of the store, not of the search index).
  const here = useLiveQuery(() => {
    const sync = localSync();
    const ids = (search.data ?? []).map((ticket) => ticket.id);
    return sync ? async () => new Set((await ticketsByIds(sync.db, ids)).flatMap((ticket) => (ticket ? [ticket.id] : []))) : null;
  }, new Set<string>());
  const missing = () => (search.data ?? []).filter((ticket) => !here().has(ticket.id));
  return (
    <Show when={evicted() && searching()}>
      <section class="server-results" aria-label={t('ws.serverResults')} aria-busy={search.isFetching}>
        <h3>{t('ws.serverResults')}</h3>
        <Show when={!search.isError} fallback={<p role="alert">{t('ws.serverSearchFailed')} <button type="button" class="button" onClick={() => void search.refetch()}>{t('common.retry')}</button></p>}>
          <Show when={!search.isPending} fallback={<p>{t('ws.serverSearching')}</p>}>
            <Show when={missing().length > 0} fallback={<p>{t('ws.serverNone')}</p>}>
              <ul>
                <For each={missing()}>
                  {(ticket) => (
                    <li>
                      <a
                        href={props.hrefOf(ticket.id)}
                        onClick={(event) => {
                          event.preventDefault();
                          props.onOpen(ticket.id);
                        }}
                      >
                        #{ticket.number} {ticket.subject} · {ticket.requester.name}
                      </a>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Show>
        </Show>
      </section>
    </Show>
  );
}
