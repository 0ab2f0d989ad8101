import { type Agent, TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '@desk/core';
import { createEffect, createSignal, For, Index, type JSX, onCleanup, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { EMPTY_QUERY, type ListQuery, type ListSort, toggled } from './list-params.ts';

/** A multi-select as a disclosure of checkboxes (keyboard and screen-reader friendly, works on phones). */
function MultiSelect<T extends string>(props: {
  label: string;
  options: readonly { value: T; label: string; count?: number }[];
  selected: readonly T[];
  onChange: (next: T[]) => void;
  name: string;
}) {
  const summary = () => (props.selected.length === 0 ? t('ws.anyValue') : t('ws.selected', { count: props.selected.length }));
  let ref: HTMLDetailsElement | undefined;
  // One open at a time; a click elsewhere or Esc closes it.
  const outside = (event: PointerEvent) => {
    if (ref?.open && !ref.contains(event.target as Node)) ref.open = false;
  };
  document.addEventListener('pointerdown', outside);
  onCleanup(() => document.removeEventListener('pointerdown', outside));
  return (
    <details
      ref={ref}
      class="multi-select"
      data-filter={props.name}
      onToggle={(event) => {
        if (!event.currentTarget.open) return;
        for (const other of document.querySelectorAll<HTMLDetailsElement>('details.multi-select[open]')) if (other !== ref) other.open = false;
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !ref?.open) return;
        event.preventDefault();
        ref.open = false;
        ref.querySelector('summary')?.focus();
      }}
    >
      <summary>
        <span class="multi-label">{props.label}</span>: <span class="multi-value">{summary()}</span>
      </summary>
      <fieldset>
        <legend class="visually-hidden">{props.label}</legend>
        <Index each={props.options}>
          {(option) => (
            <label class="check">
              <input
                type="checkbox"
                name={props.name}
                value={option().value}
                checked={props.selected.includes(option().value)}
                onChange={(e) => props.onChange(toggled(props.selected, option().value, e.currentTarget.checked))}
              />
              <span>{option().label}</span>
              <Show when={option().count !== undefined}>
                <span class="count">{option().count}</span>
              </Show>
            </label>
          )}
        </Index>
      </fieldset>
    </details>
  );
}

export function ListFilters(props: {
  query: ListQuery;
  onChange: (next: ListQuery) => void;
  agents: readonly Agent[];
  counts: Record<TicketStatus, number>;
  total: number;
}): JSX.Element {
  // The search box answers at once; the URL (and the query) follow after a short pause.
  const [text, setText] = createSignal(props.query.q);
  createEffect(() => setText(props.query.q));
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const onSearch = (value: string) => {
    setText(value);
    clearTimeout(timer);
    timer = setTimeout(() => props.onChange({ ...props.query, q: value }), 200);
  };
  const set = (patch: Partial<ListQuery>) => props.onChange({ ...props.query, ...patch });
  const filtered = () => props.query.agents.length + props.query.statuses.length + props.query.priorities.length > 0 || props.query.q.trim() !== '';

  return (
    <div class="list-filters">
      <div class="search-row">
        <label for="ticket-search" class="visually-hidden">
          {t('ws.search')}
        </label>
        <input
          id="ticket-search"
          type="search"
          placeholder={t('ws.searchHint')}
          value={text()}
          onInput={(e) => onSearch(e.currentTarget.value)}
          autocomplete="off"
        />
      </div>
      <div class="filter-row">
        <MultiSelect
          name="agent"
          label={t('ws.agents')}
          selected={props.query.agents}
          onChange={(agents) => set({ agents })}
          options={[
            { value: 'me', label: t('ws.me') },
            { value: 'none', label: t('ticket.unassigned') },
            ...props.agents.map((a) => ({ value: a.id, label: a.name })),
          ]}
        />
        <MultiSelect<TicketStatus>
          name="status"
          label={t('ws.statuses')}
          selected={props.query.statuses}
          onChange={(statuses) => set({ statuses })}
          options={TICKET_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`), count: props.counts[s] }))}
        />
        <MultiSelect<TicketPriority>
          name="priority"
          label={t('ws.priorities')}
          selected={props.query.priorities}
          onChange={(priorities) => set({ priorities })}
          options={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
        />
      </div>
      <div class="list-summary">
        <ul class="status-counts" aria-label={t('ws.statusCounts')}>
          <For each={TICKET_STATUSES}>
            {(status) => (
              <li data-status={status} classList={{ active: props.query.statuses.includes(status) }}>
                {t(`status.${status}`)} <strong>{props.counts[status]}</strong>
              </li>
            )}
          </For>
        </ul>
        <div class="list-tools">
          <span class="total" aria-live="polite">
            {t('ws.count', { count: props.total })}
          </span>
          <label for="ticket-sort" class="visually-hidden">
            {t('ws.sort')}
          </label>
          <select id="ticket-sort" value={props.query.sort} onChange={(e) => set({ sort: e.currentTarget.value as ListSort })}>
            <option value="newest">{t('ws.sortNewest')}</option>
            <option value="oldest">{t('ws.sortOldest')}</option>
          </select>
          <Show when={filtered()}>
            <button type="button" class="button ghost" onClick={() => props.onChange({ ...EMPTY_QUERY, sort: props.query.sort })}>
              {t('ws.clearFilters')}
            </button>
          </Show>
        </div>
      </div>
    </div>
  );
}
