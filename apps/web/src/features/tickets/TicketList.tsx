import type { Agent } from '@desk/core';
import { createEffect, createMemo, createSignal, For, type JSX, onCleanup, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { firstScreenShown } from '../../shell/first-screen.ts';
import type { ListIds, RowData } from './list-data.ts';
import { createFixedRows } from './fixed-rows.ts';
import { SNAPSHOT_ROWS } from './list-snapshot.ts';
import { useRowPages } from './list-data.ts';
import { TicketRow } from './TicketRow.tsx';

export const ROW_HEIGHT = 104;
/** Rows read beyond those in the DOM, above and below. */
const READ_BEHIND = 5;
const READ_AHEAD = 20;

/**
 * The virtual ticket list: only the rows in view (plus a margin) exist in the DOM and are read
 * from IndexedDB, so 50,000 tickets scroll like 50.
 */
export function TicketList(props: {
  list: ListIds;
  selectedId: string | null;
  hrefOf: (id: string) => string;
  onOpen: (id: string) => void;
  /** A row is being pressed (see TicketRow), with its data as read from the store (not the placeholder's). */
  onPress?: (id: string, row: RowData | undefined) => void;
  agents: readonly Agent[];
  /** Rows (and their assignees' names) drawn until the list's own rows are read: the last session's first page. */
  placeholder?: { rows: ReadonlyMap<string, RowData>; names: ReadonlyMap<string, string> };
  /** The first rows of a list read from the store, whenever they change (kept for the next start). */
  onFirstRows?: (rows: RowData[]) => void;
  /** Receives a function that scrolls a ticket into view (for j/k). */
  scrollRef?: (scrollTo: (index: number) => void) => void;
  children?: JSX.Element;
}) {
  let scroller: HTMLDivElement | undefined;
  const rowWindow = createFixedRows({ count: () => props.list.ids.length, rowHeight: ROW_HEIGHT, overscan: 5, scroller: () => scroller });
  props.scrollRef?.(rowWindow.scrollToIndex);

  const visibleIndexes = createMemo(
    () => {
      const range = rowWindow.range();
      if (!range) return [];
      const indexes: number[] = [];
      for (let index = range.from; index <= range.to; index++) indexes.push(index);
      return indexes;
    },
    [],
    { equals: (a, b) => a.length === b.length && a.every((index, i) => index === b[i]) },
  );

  // The rows read are the pages under the rows in the DOM and a little further, more so below (where a
  // list is scrolled to): a row that comes into view while scrolling has usually been read already.
  const rows = useRowPages(
    () => props.list.ids,
    () => {
      const range = rowWindow.range();
      return range ? { from: Math.max(0, range.from - READ_BEHIND), to: range.to + READ_AHEAD } : null;
    },
  );

  createEffect(() => {
    if (rows().size > 0 || (props.list.ready && props.list.ids.length === 0)) firstScreenShown();
  });
  // The placeholder rows go as soon as any row has been read from the store.
  const rowOf = (id: string) => {
    const read = rows();
    return read.get(id) ?? (read.size === 0 ? props.placeholder?.rows.get(id) : undefined);
  };
  // A row drawn from the placeholder stays when the store reads the same row (the usual case on a warm
  // start): redrawing the first screen right after it was drawn was work and garbage at the fling's start.
  const sameRow = (before: RowData | undefined, after: RowData | undefined) =>
    before === after ||
    (before !== undefined && after !== undefined && props.placeholder?.rows.get(before.ticket.id) === before && JSON.stringify(before) === JSON.stringify(after));
  // Only when they changed: every page read while scrolling makes a new map of rows, but the first rows
  // keep their objects, and telling again would only put off (and redo) the snapshot's write.
  // (A new list, e.g. other filters, is told even with the same rows: the snapshot is kept per filter set.)
  let told: { list: ListIds; rows: readonly RowData[] } | null = null;
  createEffect(() => {
    const list = props.list;
    if (!list.ready || !props.onFirstRows) return;
    const first = list.ids.slice(0, SNAPSHOT_ROWS).map((id) => rows().get(id));
    if (!first.every((row): row is RowData => row !== undefined)) return;
    const before = told;
    if (before && before.list === list && first.length === before.rows.length && first.every((row, i) => row === before.rows[i])) return;
    told = { list, rows: first };
    props.onFirstRows(first);
  });

  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => setNow(Date.now()), 30_000);
  onCleanup(() => clearInterval(clock));

  const agentById = createMemo(() => new Map(props.agents.map((a) => [a.id, a.name])));
  const agentName = (id: string) => agentById().get(id) ?? props.placeholder?.names.get(id);
  return (
    <section class="ticket-list" aria-label={t('ticket.list')}>
      {props.children}
      <div class="ticket-scroll" ref={scroller} data-testid="ticket-scroll">
        <Show when={!props.list.ready || props.list.ids.length > 0} fallback={<p class="empty-state">{t('ws.noMatch')}</p>}>
          <ul class="ticket-rows" style={{ height: `${rowWindow.totalSize()}px` }} aria-label={t('ticket.list')}>
            {/* Keyed by position in the list: while scrolling, the rows still in view keep their
                elements and only the rows coming into view are rendered (rows are all ROW_HEIGHT tall).
                A pool of elements updated in place (moved, every binding rewritten) measured slower at
                4x CPU than rendering the few rows coming in. */}
            <For each={visibleIndexes()}>
              {(index) => {
                const id = () => props.list.ids[index] ?? '';
                // A memo: a page read while scrolling makes a new map of rows, and without it every row in
                // the DOM would update all its bindings for it, though its own row is the same object.
                const row = createMemo(() => rowOf(id()), undefined, { equals: sameRow });
                return (
                  <li class="ticket-item" style={{ transform: `translateY(${index * ROW_HEIGHT}px)`, height: `${ROW_HEIGHT}px` }} aria-setsize={props.list.ids.length} aria-posinset={index + 1}>
                    <Show when={row()} fallback={<span class="ticket-row skeleton" aria-hidden="true" />}>
                      {(data) => (
                        <TicketRow
                          row={data()}
                          href={props.hrefOf(id())}
                          selected={id() === props.selectedId}
                          now={now()}
                          agentName={agentName}
                          onOpen={() => props.onOpen(id())}
                          onPress={() => props.onPress?.(id(), rows().get(id()))}
                        />
                      )}
                    </Show>
                  </li>
                );
              }}
            </For>
          </ul>
        </Show>
      </div>
    </section>
  );
}
