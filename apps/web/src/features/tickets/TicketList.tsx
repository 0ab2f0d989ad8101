import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '@desk/core';
import { For, Show } from 'solid-js';
import { currentUser } from '../../auth/session.ts';
import { t } from '../../i18n/index.ts';
import { Field } from './Field.tsx';
import { listTickets, type TicketListFilter } from '../../local/queries.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';

export interface ListFilterValue {
  status: TicketStatus | '';
  priority: TicketPriority | '';
  /** An agent id, `me`, `none` or '' for any. */
  assignee: string;
}

export function toListFilter(value: ListFilterValue, meId: string | undefined): TicketListFilter {
  const assignee = value.assignee === 'me' ? (meId ?? '') : value.assignee;
  return { statuses: value.status ? [value.status] : [], priorities: value.priority ? [value.priority] : [], assignees: assignee ? [assignee] : [] };
}

/** A plain ticket list read from IndexedDB (the agent workspace replaces it with the full one). */
export function TicketList(props: { filter: ListFilterValue; onFilter: (next: ListFilterValue) => void; selectedId: string | null; onSelect: (id: string) => void }) {
  const tickets = useLiveQuery(() => {
    const sync = localSync();
    const filter = toListFilter(props.filter, currentUser()?.id);
    return sync ? () => listTickets(sync.db, filter, 50) : null;
  }, []);
  const agents = useLiveQuery(() => {
    const sync = localSync();
    return sync ? () => sync.db.agents.orderBy('name').toArray() : null;
  }, []);
  const pendingTickets = useLiveQuery(() => {
    const sync = localSync();
    return sync ? () => sync.db.outbox.toArray().then((entries) => new Set(entries.map((e) => (e.args as { ticketId?: string }).ticketId))) : null;
  }, new Set<string | undefined>());
  const agentName = (id: string | null) => agents().find((a) => a.id === id)?.name ?? t('ticket.unassigned');

  return (
    <section class="ticket-list" aria-label={t('ticket.list')}>
      <fieldset class="ticket-filters">
        <legend>{t('ticket.filters')}</legend>
        <Field label={t('ticket.status')}>{(id) => (
          <select id={id} value={props.filter.status} onChange={(e) => props.onFilter({ ...props.filter, status: e.currentTarget.value as TicketStatus | '' })}>
            <option value="">{t('ticket.any')}</option>
            <For each={TICKET_STATUSES}>{(status) => <option value={status}>{t(`status.${status}`)}</option>}</For>
          </select>
        )}</Field>
        <Field label={t('ticket.priority')}>{(id) => (
          <select id={id} value={props.filter.priority} onChange={(e) => props.onFilter({ ...props.filter, priority: e.currentTarget.value as TicketPriority | '' })}>
            <option value="">{t('ticket.any')}</option>
            <For each={TICKET_PRIORITIES}>{(priority) => <option value={priority}>{t(`priority.${priority}`)}</option>}</For>
          </select>
        )}</Field>
        <Field label={t('ticket.assignee')}>{(id) => (
          <select id={id} value={props.filter.assignee} onChange={(e) => props.onFilter({ ...props.filter, assignee: e.currentTarget.value })}>
            <option value="">{t('ticket.any')}</option>
            <option value="me">{t('ticket.me')}</option>
            <option value="none">{t('ticket.unassigned')}</option>
            <For each={agents()}>{(agent) => <option value={agent.id}>{agent.name}</option>}</For>
          </select>
        )}</Field>
      </fieldset>
      <Show when={tickets().length > 0} fallback={<p class="empty-state">{t('tickets.empty')}</p>}>
        <ul class="ticket-rows">
          <For each={tickets()}>
            {(ticket) => (
              <li class="ticket-row" classList={{ selected: ticket.id === props.selectedId }} data-ticket-id={ticket.id}>
                <a
                  href={`/tickets?ticket=${ticket.id}`}
                  aria-current={ticket.id === props.selectedId ? 'true' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    props.onSelect(ticket.id);
                  }}
                >
                  <span class="ticket-number">#{ticket.number}</span> <span class="ticket-subject">{ticket.subject}</span>
                </a>
                <span class="ticket-meta">
                  <span data-field="status">{t(`status.${ticket.status}`)}</span> · <span data-field="priority">{t(`priority.${ticket.priority}`)}</span> ·{' '}
                  <span data-field="assignee">{agentName(ticket.assigneeId)}</span>
                  <Show when={ticket.tags.length > 0}>
                    {' '}
                    · <span data-field="tags">{ticket.tags.join(', ')}</span>
                  </Show>
                  <Show when={pendingTickets().has(ticket.id)}>
                    {' '}
                    · <span class="pending-badge">{t('ticket.pending')}</span>
                  </Show>
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
