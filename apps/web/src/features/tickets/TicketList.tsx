import type { Agent } from '@desk/core';
import { createEffect, createMemo, createSignal, type JSX, onCleanup, Show } from 'solid-js';
import { language, t } from '../../i18n/index.ts';
import { openTickets } from '../../presence/presence-store.ts';
import { firstScreenShown } from '../../shell/first-screen.ts';
import type { ListIds, RowData } from './list-data.ts';
import { createFixedRows } from './fixed-rows.ts';
import { SNAPSHOT_ROWS } from './list-snapshot.ts';
import { useRowPages } from './list-data.ts';
import { assignSlots } from './row-slots.ts';
import { createTicketRow, type RowLook, type TicketRowView } from './TicketRow.tsx';

export const ROW_HEIGHT = 104;
/** Rows read beyond those in the DOM, above and below. */
const READ_BEHIND = 5;
const READ_AHEAD = 20;
/** How long the list is still before its items are put in the rows' order in the document (ms). */
const ORDER_AFTER = 150;

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
  // What every row shows besides its data: when any of it changes, every row is drawn again.
  const look = createMemo<RowLook>(() => {
    const names = agentById();
    return {
      selectedId: props.selectedId,
      now: now(),
      language: language(),
      agentName: (id) => names.get(id) ?? props.placeholder?.names.get(id),
      openBy: openTickets(),
      hrefOf: props.hrefOf,
    };
  });

  // The list's items, reused while scrolling (TicketRow.tsx): the item of a row leaving the window
  // shows the row coming in. Each keeps what it showed last, so a pass over them (a row in or out,
  // a page of rows read, anything in `look` changing) draws only the items whose row changed.
  const [itemList, setItemList] = createSignal<HTMLUListElement>();
  const views: TicketRowView[] = [];
  /** What each item was last drawn with. */
  const drawn: ({ index: number; row: RowData; look: RowLook; ids: readonly string[] } | undefined)[] = [];
  let slots: (number | undefined)[] = [];
  let listElement: HTMLUListElement | undefined;
  let ordering: ReturnType<typeof setTimeout> | undefined;
  const newView = () =>
    createTicketRow(
      {
        onOpen: (id) => props.onOpen(id),
        onPress: (id) => props.onPress?.(id, rows().get(id)),
      },
      ROW_HEIGHT,
    );
  const focusedSlot = (slot: number) => {
    const item = views[slot]?.item;
    return item !== undefined && document.activeElement instanceof Node && item.contains(document.activeElement);
  };
  createEffect(() => {
    const ul = itemList();
    const range = rowWindow.range();
    const ids = props.list.ids;
    const currentLook = look();
    if (!ul) return;
    if (ul !== listElement) {
      // A new list element (the list was empty in between): every item goes into it again.
      listElement = ul;
      slots = [];
    }
    const before = slots;
    slots = range ? assignSlots(before, range.from, range.to, focusedSlot) : before.map(() => undefined);
    // An item showing another row is drawn again where it is in the document: moving it to its row's
    // place there would make the browser style and lay out its whole row again, in the frame. Once the
    // list has been still for a moment, the items are put in the rows' order (Tab and a screen reader
    // go through them in it).
    let moved = false;
    slots.forEach((index, slot) => {
      if (index !== before[slot]) {
        drawn[slot] = undefined;
        moved = true;
      }
      const view = index === undefined ? views[slot] : (views[slot] ?? newView());
      if (!view) return;
      views[slot] = view;
      if (index === undefined) {
        view.item.remove();
        return;
      }
      const id = ids[index] ?? '';
      const row = rowOf(id);
      const last = drawn[slot];
      // An item kept for focus whose row is no longer read keeps what it shows.
      const keepsFocus = (index < (range?.from ?? 0) || index > (range?.to ?? -1)) && row === undefined;
      // A new list (other filters, a ticket moved) is drawn again whole: its links follow the filters.
      if (!keepsFocus && !(last && last.index === index && last.look === currentLook && last.ids === ids && sameRow(last.row, row))) {
        view.show({ index, setSize: ids.length, id, row, look: currentLook });
        drawn[slot] = row ? { index, row, look: currentLook, ids } : undefined;
      }
      if (view.item.parentNode !== ul) ul.append(view.item);
    });
    if (moved) {
      clearTimeout(ordering);
      ordering = setTimeout(putInOrder, ORDER_AFTER);
    }
  });
  /** Puts the items in the document in their rows' order, moving as few as it can, never the focused one. */
  const putInOrder = () => {
    const ul = listElement;
    if (!ul) return;
    const items = slots.flatMap((index, slot) => (index === undefined || !views[slot] ? [] : [{ index, item: (views[slot] as TicketRowView).item }])).sort((a, b) => a.index - b.index);
    const focused = document.activeElement;
    // From the bottom up, each item goes right before the one below it. The focused item stays (moving
    // an element takes its focus away): the items already placed below it go right after it instead.
    let below: Element | null = null;
    for (let k = items.length - 1; k >= 0; k--) {
      const item = (items[k] as { item: HTMLLIElement }).item;
      if (item.nextElementSibling !== below) {
        if (focused && item.contains(focused)) item.after(...items.slice(k + 1).map((placed) => placed.item));
        else ul.insertBefore(item, below);
      }
      below = item;
    }
  };
  onCleanup(() => clearTimeout(ordering));
  onCleanup(() => {
    for (const view of views) view.item.remove();
  });
  return (
    <section class="ticket-list" aria-label={t('ticket.list')}>
      {props.children}
      <div class="ticket-scroll" ref={scroller} data-testid="ticket-scroll">
        <Show when={!props.list.ready || props.list.ids.length > 0} fallback={<p class="empty-state">{t('ws.noMatch')}</p>}>
          <ul class="ticket-rows" ref={setItemList} style={{ height: `${rowWindow.totalSize()}px` }} aria-label={t('ticket.list')} />
        </Show>
      </div>
    </section>
  );
}
