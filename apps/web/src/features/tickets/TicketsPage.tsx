import { useSearchParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { PageHeader } from '../../shell/Page.tsx';
import { SyncIndicator, SyncNotices } from './SyncIndicator.tsx';
import { type ListFilterValue, TicketList } from './TicketList.tsx';
import { TicketView } from './TicketView.tsx';

/** Tickets from the local store: the list, and the selected ticket (`?ticket=<id>`). */
export default function TicketsPage() {
  const [params, setParams] = useSearchParams<{ ticket?: string }>();
  const [filter, setFilter] = createSignal<ListFilterValue>({ status: '', priority: '', assignee: '' });
  const selected = () => (typeof params.ticket === 'string' && params.ticket ? params.ticket : null);
  return (
    <section class="tickets-page">
      <PageHeader title={t('nav.tickets')}>
        <SyncIndicator />
      </PageHeader>
      <SyncNotices />
      <div class="tickets-layout" classList={{ 'has-selection': selected() !== null }}>
        <TicketList filter={filter()} onFilter={setFilter} selectedId={selected()} onSelect={(id) => setParams({ ticket: id })} />
        <Show when={selected()} fallback={<p class="ticket-placeholder">{t('ticket.select')}</p>}>
          {(id) => <TicketView ticketId={id()} onBack={() => setParams({ ticket: undefined })} />}
        </Show>
      </div>
    </section>
  );
}
