import { initialsOf } from '@desk/core';
import { createMemo, type JSX, Show } from 'solid-js';
import { language, t } from '../../i18n/index.ts';
import { openTickets } from '../../presence/presence-store.ts';
import { preview, relativeTime, subjectParts } from './format.ts';
import type { RowData } from './list-data.ts';
import { isUnread } from './unread.ts';

/**
 * One line of the ticket list: a link to the ticket with everything the agent scans for.
 *
 * The link element stays for the row's life (keeping focus, e.g. back on the row a ticket was opened
 * from), and its content is drawn in one piece from the row's data: each time the row's data (or the
 * language) changes, the lines are drawn again. Fine-grained bindings for every text and pill (about 25
 * computations a row) were most of what scrolling allocated, and a fling through 1,000 rows creates a
 * thousand rows: the garbage collector's pauses were the long tasks at a phone's CPU speed. Only what
 * changes without the row's data changing has its own binding: the time ("5 minutes ago"), the
 * assignee's name (agents are read apart) and who else has the ticket open.
 */
export function TicketRow(props: {
  row: RowData;
  href: string;
  selected: boolean;
  now: number;
  agentName: (id: string) => string | undefined;
  onOpen: () => void;
  /** A finger or button went down on the row: a tap may follow. */
  onPress?: () => void;
}) {
  const unread = () => isUnread(props.row.read, props.row.othersAt);
  return (
    <a
      class="ticket-row"
      classList={{ unread: unread(), selected: props.selected, alerted: unread() && props.row.othersAt !== undefined }}
      href={props.href}
      aria-current={props.selected ? 'true' : undefined}
      data-ticket-id={props.row.ticket.id}
      data-unread={unread() ? 'true' : 'false'}
      onPointerDown={() => props.onPress?.()}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        props.onOpen();
      }}
    >
      {rowLines(props.row, unread(), props)}
    </a>
  );
}

/**
 * The row's four lines, drawn from its data. Everything here is a plain value (no binding), except the
 * three parts that follow something else than the row's data.
 */
function rowLines(row: RowData, unread: boolean, live: { readonly now: number; agentName: (id: string) => string | undefined }): JSX.Element {
  const ticket = row.ticket;
  const subject = subjectParts(ticket.subject, row.intentName);
  const number = `#${ticket.number}`;
  const prefix = subject.prefix ? `${subject.prefix} — ` : '';
  const rest = subject.rest;
  const requester = row.contact?.name ?? '';
  const channel = t(`ws.channel.${ticket.channel}`);
  const assigneeId = ticket.assigneeId;
  const assigneeClass = assigneeId ? 'assignee' : 'assignee none';
  const unassigned = t('ticket.unassigned');
  const statusClass = `pill status-${ticket.status}`;
  const status = t(`status.${ticket.status}`);
  const priorityClass = `pill priority-${ticket.priority}`;
  const priority = t(`priority.${ticket.priority}`);
  const tags = ticket.tags.map((tag) => <span class="tag-chip">{tag}</span>);
  const updatedAt = ticket.updatedAt;
  const last = row.last;
  const previewText = last ? preview(last.text || last.attachments.map((a) => a.name).join(', ')) : '';
  const unreadLabel = t('ws.unread');
  const dot = unread ? <span class="unread-dot" role="img" aria-label={unreadLabel} /> : null;
  const prefixPart = prefix ? <span class="subject-prefix">{prefix}</span> : null;
  const openBy = createMemo(() => openTickets().get(ticket.id) ?? []);
  return (
    <>
      <span class="row-line row-head">
        {dot}
        <span class="ticket-number">{number}</span>
        <Show when={openBy().length > 0}>
          <span class="presence-marker" role="img" aria-label={t('presence.openBy', { names: openBy().map((e) => e.name).join(', ') })} data-testid="presence-marker">
            {initialsOf(openBy()[0]?.name ?? '')}
            {openBy().length > 1 ? `+${openBy().length - 1}` : ''}
          </span>
        </Show>
        <span class="ticket-subject">
          {prefixPart}
          <span class="subject-rest">{rest}</span>
        </span>
        <time class="row-time" datetime={updatedAt}>
          {relativeTime(updatedAt, live.now, language())}
        </time>
      </span>
      <span class="row-line row-people">
        <span class="requester">{requester}</span>
        <span class="channel">{channel}</span>
        <span class={assigneeClass}>{assigneeId ? (live.agentName(assigneeId) ?? '?') : unassigned}</span>
      </span>
      <span class="row-line row-tags">
        <span class={statusClass}>{status}</span>
        <span class={priorityClass}>{priority}</span>
        {tags}
      </span>
      <span class="row-line row-preview">{previewText}</span>
    </>
  );
}
