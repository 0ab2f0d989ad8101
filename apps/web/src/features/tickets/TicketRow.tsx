import { initialsOf } from '@desk/core';
import { For, Show } from 'solid-js';
import { language, t } from '../../i18n/index.ts';
import { openTickets } from '../../presence/presence-store.ts';
import { preview, relativeTime, subjectParts } from './format.ts';
import type { RowData } from './list-data.ts';
import { isUnread } from './unread.ts';

/** One line of the ticket list: a link to the ticket with everything the agent scans for. */
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
  const ticket = () => props.row.ticket;
  const unread = () => isUnread(props.row.read, props.row.othersAt);
  const requester = () => props.row.contact?.name ?? '';
  const subject = () => subjectParts(ticket().subject, props.row.intentName);
  const openBy = () => openTickets().get(ticket().id) ?? [];
  return (
    <a
      class="ticket-row"
      classList={{ unread: unread(), selected: props.selected, alerted: unread() && props.row.othersAt !== undefined }}
      href={props.href}
      aria-current={props.selected ? 'true' : undefined}
      data-ticket-id={ticket().id}
      data-unread={unread() ? 'true' : 'false'}
      onPointerDown={() => props.onPress?.()}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        props.onOpen();
      }}
    >
      <span class="row-line row-head">
        <Show when={unread()}>
          <span class="unread-dot" role="img" aria-label={t('ws.unread')} />
        </Show>
        <span class="ticket-number">#{ticket().number}</span>
        <Show when={openBy().length > 0}>
          <span class="presence-marker" role="img" aria-label={t('presence.openBy', { names: openBy().map((e) => e.name).join(', ') })} data-testid="presence-marker">
            {initialsOf(openBy()[0]?.name ?? '')}
            {openBy().length > 1 ? `+${openBy().length - 1}` : ''}
          </span>
        </Show>
        <span class="ticket-subject">
          <Show when={subject().prefix}>
            <span class="subject-prefix">{subject().prefix} — </span>
          </Show>
          <span class="subject-rest">{subject().rest}</span>
        </span>
        <time class="row-time" datetime={ticket().updatedAt}>
          {relativeTime(ticket().updatedAt, props.now, language())}
        </time>
      </span>
      <span class="row-line row-people">
        <span class="requester">{requester()}</span>
        <span class="channel">{t(`ws.channel.${ticket().channel}`)}</span>
        <span class="assignee" classList={{ none: !ticket().assigneeId }}>
          {ticket().assigneeId ? (props.agentName(ticket().assigneeId as string) ?? '?') : t('ticket.unassigned')}
        </span>
      </span>
      <span class="row-line row-tags">
        <span class={`pill status-${ticket().status}`}>{t(`status.${ticket().status}`)}</span>
        <span class={`pill priority-${ticket().priority}`}>{t(`priority.${ticket().priority}`)}</span>
        <For each={ticket().tags}>{(tag) => <span class="tag-chip">{tag}</span>}</For>
      </span>
      <span class="row-line row-preview">{props.row.last ? preview(props.row.last.text || props.row.last.attachments.map((a) => a.name).join(', ')) : ''}</span>
    </a>
  );
}
