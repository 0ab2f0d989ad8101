import { initialsOf, type PresenceEntry } from '@desk/core';
import { t } from '../../i18n/index.ts';
import { preview, relativeTime, subjectParts } from './format.ts';
import type { RowData } from './list-data.ts';
import { isUnread } from './unread.ts';

/** What a row shows besides its own data: the same for every row of the list at a time. */
export interface RowLook {
  selectedId: string | null;
  now: number;
  language: string;
  agentName: (id: string) => string | undefined;
  /** Ticket id → the other agents who have it open. */
  openBy: ReadonlyMap<string, readonly PresenceEntry[]>;
  hrefOf: (id: string) => string;
}

/** One place of the virtual list: the list item at `index`, with the ticket's row or a skeleton. */
export interface RowShown {
  index: number;
  setSize: number;
  id: string;
  /** Undefined while the row is not read yet: a skeleton. */
  row: RowData | undefined;
  look: RowLook;
}

/**
 * A list item of the ticket list that is drawn again in place for whichever row it shows (see
 * TicketList: a few of them are reused while scrolling). Its elements are made once; showing another
 * row writes only the texts, classes and attributes that differ. No Solid computation and no element
 * is created for a row coming into view: a fling through 1,000 rows made 15 computations and 30
 * elements for each, and that garbage's collections were the longest tasks at a phone's CPU speed.
 * The link stays for the item's life (a focused row keeps its element, see TicketList).
 */
export interface TicketRowView {
  item: HTMLLIElement;
  /** The ticket the item shows now ('' for none). */
  id(): string;
  show(shown: RowShown): void;
}

export function createTicketRow(handlers: { onOpen(id: string): void; onPress(id: string): void }, rowHeight: number): TicketRowView {
  let number!: HTMLSpanElement;
  let subject!: HTMLSpanElement;
  let rest!: HTMLSpanElement;
  let time!: HTMLTimeElement;
  let requester!: HTMLSpanElement;
  let channel!: HTMLSpanElement;
  let assignee!: HTMLSpanElement;
  let status!: HTMLSpanElement;
  let priority!: HTMLSpanElement;
  let tagsLine!: HTMLSpanElement;
  let previewLine!: HTMLSpanElement;
  let current = '';
  // Its href is the ticket's, written when it is shown (see showRow).
  const link = (
    <a class="ticket-row" href="/tickets">
      <span class="row-line row-head">
        <span class="ticket-number" ref={number} />
        <span class="ticket-subject" ref={subject}>
          <span class="subject-rest" ref={rest} />
        </span>
        <time class="row-time" ref={time} />
      </span>
      <span class="row-line row-people">
        <span class="requester" ref={requester} />
        <span class="channel" ref={channel} />
        <span class="assignee" ref={assignee} />
      </span>
      <span class="row-line row-tags" ref={tagsLine}>
        <span ref={status} />
        <span ref={priority} />
      </span>
      <span class="row-line row-preview" ref={previewLine} />
    </a>
  ) as HTMLAnchorElement;
  // Listeners of the item's life, whichever ticket it shows.
  link.addEventListener('pointerdown', () => current && handlers.onPress(current));
  link.addEventListener('click', (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (current) handlers.onOpen(current);
  });
  const dot = (<span class="unread-dot" role="img" />) as HTMLSpanElement;
  const prefix = (<span class="subject-prefix" />) as HTMLSpanElement;
  const marker = (<span class="presence-marker" role="img" data-testid="presence-marker" />) as HTMLSpanElement;
  const skeleton = (<span class="ticket-row skeleton" aria-hidden="true" />) as HTMLSpanElement;
  const item = (<li class="ticket-item" style={{ height: `${rowHeight}px` }} />) as HTMLLIElement;
  const chips: HTMLSpanElement[] = [];
  let shownIndex = -1;

  // What was written last, so that showing the same again writes nothing (a write would make the
  // browser lay the row out again).
  const written = new Map<object, string>();
  // A text is changed in its node (setting textContent would make a new node each time).
  const text = (el: Element, value: string) => {
    if (written.get(el) === value) return;
    written.set(el, value);
    const node = el.firstChild;
    if (node instanceof Text) node.data = value;
    else el.append(value);
  };
  const attr = (el: Element, name: string, value: string | undefined) => {
    if (el.getAttribute(name) === (value ?? null)) return;
    if (value === undefined) el.removeAttribute(name);
    else el.setAttribute(name, value);
  };
  const className = (el: Element, value: string) => {
    if (el.className !== value) el.className = value;
  };
  /** Puts `el` in `parent` before `before` when `shown`, takes it out otherwise. */
  const place = (el: Element, shown: boolean, parent: Element, before: Element | null) => {
    if (shown && el.parentNode !== parent) parent.insertBefore(el, before);
    else if (!shown && el.parentNode) el.remove();
  };

  const showRow = (row: RowData, shown: RowShown) => {
    const { ticket } = row;
    const look = shown.look;
    const unread = isUnread(row.read, row.othersAt);
    const selected = shown.id === look.selectedId;
    className(link, `ticket-row${unread ? ' unread' : ''}${selected ? ' selected' : ''}${unread && row.othersAt !== undefined ? ' alerted' : ''}`);
    attr(link, 'href', look.hrefOf(shown.id));
    attr(link, 'aria-current', selected ? 'true' : undefined);
    attr(link, 'data-ticket-id', ticket.id);
    attr(link, 'data-unread', unread ? 'true' : 'false');

    const head = number.parentElement as HTMLElement;
    place(dot, unread, head, number);
    if (unread) attr(dot, 'aria-label', t('ws.unread'));
    text(number, `#${ticket.number}`);
    const openBy = look.openBy.get(ticket.id) ?? [];
    place(marker, openBy.length > 0, head, subject);
    if (openBy.length > 0) {
      attr(marker, 'aria-label', t('presence.openBy', { names: openBy.map((e) => e.name).join(', ') }));
      text(marker, `${initialsOf(openBy[0]?.name ?? '')}${openBy.length > 1 ? `+${openBy.length - 1}` : ''}`);
    }
    const parts = subjectParts(ticket.subject, row.intentName);
    place(prefix, parts.prefix !== '', subject, rest);
    if (parts.prefix) text(prefix, `${parts.prefix} — `);
    text(rest, parts.rest);
    attr(time, 'datetime', ticket.updatedAt);
    text(time, relativeTime(ticket.updatedAt, look.now, look.language));

    text(requester, row.contact?.name ?? '');
    text(channel, t(`ws.channel.${ticket.channel}`));
    className(assignee, ticket.assigneeId ? 'assignee' : 'assignee none');
    text(assignee, ticket.assigneeId ? (look.agentName(ticket.assigneeId) ?? '?') : t('ticket.unassigned'));

    className(status, `pill status-${ticket.status}`);
    text(status, t(`status.${ticket.status}`));
    className(priority, `pill priority-${ticket.priority}`);
    text(priority, t(`priority.${ticket.priority}`));
    for (let i = 0; i < ticket.tags.length; i++) {
      let chip = chips[i];
      if (!chip) {
        chip = (<span class="tag-chip" />) as HTMLSpanElement;
        chips.push(chip);
      }
      if (!chip.parentNode) tagsLine.append(chip);
      text(chip, ticket.tags[i] ?? '');
    }
    for (let i = ticket.tags.length; i < chips.length; i++) chips[i]?.remove();

    const last = row.last;
    text(previewLine, last ? preview(last.text || last.attachments.map((a) => a.name).join(', ')) : '');
  };

  return {
    item,
    id: () => current,
    show(shown) {
      if (shownIndex !== shown.index) {
        shownIndex = shown.index;
        item.style.transform = `translateY(${shown.index * rowHeight}px)`;
      }
      attr(item, 'aria-setsize', String(shown.setSize));
      attr(item, 'aria-posinset', String(shown.index + 1));
      current = shown.row ? shown.id : '';
      const content = shown.row ? link : skeleton;
      if (item.firstChild !== content) item.replaceChildren(content);
      if (shown.row) showRow(shown.row, shown);
    },
  };
}
