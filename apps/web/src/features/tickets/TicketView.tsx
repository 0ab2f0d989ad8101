import { type Agent, cannedLanguageOf, collidingReplies, type MutationArgsOf, type MutationName, replySeenAt } from '@desk/core';
import { createEffect, createMemo, createSignal, onCleanup, Show } from 'solid-js';
import { currentUser } from '../../auth/session.ts';
import { language, t } from '../../i18n/index.ts';
import { presenceReporter } from '../../presence/presence-reporter.ts';
import { cannedReplies } from '../../local/team-data.ts';
import { HeldReplies } from './HeldReplies.tsx';
import { PresenceBar } from './PresenceBar.tsx';
import type { LocalTicket } from '../../local/index.ts';
import { withPending } from '../../local/optimistic.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';
import { otherTicketsOf, pendingOnTicket, readTicketBundle, type TicketBundle, ticketById } from '../../local/ticket-data.ts';
import { Composer } from './Composer.tsx';
import { Conversation } from './Conversation.tsx';
import { afterPaint } from '../../shell/after-paint.ts';
import { isPhone } from '../../shell/viewport.ts';
import { PropertiesSheet } from './PropertiesSheet.tsx';
import { bundleOfRow, reuseUnchanged, takePrefetched } from './ticket-bundle.ts';
import { TicketProperties } from './TicketProperties.tsx';
import { isUnread, needsMarkRead } from './unread.ts';

/**
 * One ticket: details and controls, the user, the conversation and the reply box. Every control is a
 * sync mutation. What the first paint of the newest messages doesn't need (the pending marks, canned
 * replies, held replies, telling the server the agent is here) starts once the view has painted.
 */
export function TicketView(props: {
  ticketId: string;
  agents: readonly Agent[];
  /** The view has painted its ticket (or that it is not on this device). */
  onPainted?: () => void;
  onBack: () => void;
  hrefOf: (id: string) => string;
  onOpen: (id: string) => void;
}) {
  const [error, setError] = createSignal<string | null>(null);
  const [sheetOpen, setSheetOpen] = createSignal(false);
  const me = () => currentUser()?.id ?? '';
  const [painted, setPainted] = createSignal(false);
  // The ticket, its messages, requester, intent and read state: one live query, one render. A ticket
  // tapped in the list paints at once from what its row showed (header, newest message, composer),
  // then from the reads the touch on the row started (prefetchTicket); then the live query, started
  // once that has painted (reading the same again meanwhile would only delay it), follows changes.
  const prefetched = takePrefetched(props.ticketId);
  const [early, setEarly] = createSignal<TicketBundle | undefined>(prefetched?.answer);
  const [fromPrefetch, setFromPrefetch] = createSignal(prefetched !== undefined);
  if (prefetched && !prefetched.answer) prefetched.reading.then(setEarly, () => setFromPrefetch(false));
  const fromRow = prefetched?.row && !prefetched.answer ? bundleOfRow(prefetched.row) : undefined;
  const live = useLiveQuery<TicketBundle | undefined>(() => {
    const sync = localSync();
    const id = props.ticketId;
    const agentId = me();
    if (fromPrefetch() && !painted()) return null;
    return sync ? () => readTicketBundle(sync.db, id, agentId) : null;
  }, undefined);
  const bundle = createMemo<TicketBundle | undefined>((previous) => {
    const next = live() ?? early() ?? fromRow;
    return next && previous ? { ...next, messages: reuseUnchanged(previous.messages, next.messages) } : next;
  });
  const ticket = () => withPending(bundle()?.ticket);
  const messages = () => bundle()?.messages ?? [];
  const contact = () => bundle()?.contact;
  const contactId = () => ticket()?.contactId;
  const readState = () => {
    const current = bundle();
    return { loaded: current !== undefined && live() !== undefined, read: current?.read, othersAt: current?.othersAt };
  };
  const agents = () => props.agents;
  createEffect(() => {
    // Painted from the store's reads, not only from the list row's.
    if (painted() || (live() ?? early()) === undefined) return;
    // Once the view has painted, behind whatever else is waiting: the history entry (the router's
    // navigation costs a phone-class CPU tens of milliseconds), then the reads and work the paint didn't need.
    afterPaint(() => props.onPainted?.());
    afterPaint(() => setPainted(true));
  });
  // A new device downloads messages in the background: this ticket's come first. A ticket this
  // device dropped (eviction) comes back from the server.
  createEffect(() => {
    const sync = localSync();
    const id = props.ticketId;
    if (!sync || !painted()) return;
    sync.ensureMessages(id);
    void ticketById(sync.db, id).then((found) => (found ? undefined : sync.ensureTicket(id)));
  });
  const otherTickets = useLiveQuery(() => {
    const sync = localSync();
    const id = contactId();
    const self = props.ticketId;
    // On a phone they show in the details sheet only: read when it opens.
    const shown = !isPhone() || sheetOpen();
    return sync && id && shown ? () => otherTicketsOf(sync.db, id, self) : null;
  }, []);
  const pendingIds = useLiveQuery(() => {
    const sync = localSync();
    const id = props.ticketId;
    return sync && painted() ? () => pendingOnTicket(sync.db, id) : null;
  }, []);

  // Collision: the newest reply by another agent when this agent opened the ticket. A reply sent
  // after others replied since asks "send anyway?" (and the server holds one that was offline).
  const [seenAt, setSeenAt] = createSignal<{ ticketId: string; at: string | null } | null>(null);
  createEffect(() => {
    const id = props.ticketId;
    if (live() === undefined || seenAt()?.ticketId === id) return;
    setSeenAt({ ticketId: id, at: replySeenAt(messages(), me()) });
  });
  const seen = () => (seenAt()?.ticketId === props.ticketId ? (seenAt()?.at ?? null) : null);
  const acknowledge = () => setSeenAt({ ticketId: props.ticketId, at: replySeenAt(messages(), me()) });
  const collisions = createMemo(() => (seenAt()?.ticketId === props.ticketId ? collidingReplies(messages(), me(), seen()) : []));
  const canned = useLiveQuery(() => {
    const sync = localSync();
    return sync && painted() ? () => cannedReplies(sync.db) : null;
  }, []);
  // Presence: this tab tells the server which ticket it shows; leaving it says so.
  createEffect(() => {
    if (painted()) presenceReporter.view(props.ticketId);
  });
  onCleanup(() => presenceReporter.view(null));

  async function act<N extends MutationName>(name: N, args: MutationArgsOf<N>): Promise<boolean> {
    const sync = localSync();
    if (!sync) return false;
    const result = await sync.act(name, args);
    setError(result.ok ? null : result.error.message);
    return result.ok;
  }

  const properties = (current: LocalTicket) => ({
    ticket: current,
    act,
    me: me(),
    agents: agents(),
    intentName: bundle()?.intentName,
    contact: contact(),
    otherTickets: otherTickets(),
    hrefOf: props.hrefOf,
    onOpen: props.onOpen,
  });

  // Opening the ticket (and seeing what others changed while it is open) marks it read, once per change.
  let marked = '';
  createEffect(() => {
    const state = readState();
    const id = props.ticketId;
    if (!state.loaded || !ticket() || !needsMarkRead(state.read, state.othersAt)) return;
    const key = `${id}@${state.othersAt ?? ''}`;
    if (marked === key) return;
    marked = key;
    // After the view has painted: the mutation's writes and the list's re-reads wait for the frame.
    afterPaint(() => void localSync()?.act('ticket.markRead', { ticketId: id }));
  });

  return (
    <Show
      when={ticket()}
      fallback={
        <Show when={bundle()}>
          <p class="ticket-placeholder">{t('ticket.notFound')}</p>
        </Show>
      }
    >
      {(current) => (
        <article class="ticket-view" aria-labelledby="ticket-title" data-ticket-id={current().id} data-unread={isUnread(readState().read, readState().othersAt) ? 'true' : 'false'}>
          <header class="view-header">
            <button type="button" class="button ghost back" aria-label={t('ticket.back')} onClick={() => props.onBack()}>
              <span aria-hidden="true">←</span> <span class="back-label">{t('ticket.back')}</span>
            </button>
            <h2 id="ticket-title" tabindex="-1">
              <span class="view-number">#{current().number}</span> <span class="view-subject">{current().subject}</span>
              <Show when={isPhone()}>
                <span class="view-requester">{contact()?.name ?? ''}</span>
              </Show>
              <Show when={pendingIds().length > 0}>
                {' '}
                <span class="pending-badge">{t('ticket.pending')}</span>
              </Show>
            </h2>
            <Show when={isPhone()}>
              <span class={`pill status-${current().status} view-status`}>{t(`status.${current().status}`)}</span>
              <button type="button" class="button ghost icon-button view-props-button" aria-haspopup="dialog" aria-label={t('ticket.properties')} onClick={() => setSheetOpen(true)}>
                <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                  <path d="M4 7h10M18 7h2M4 17h2M10 17h10M14 5v4M6 15v4" />
                </svg>
              </button>
            </Show>
          </header>
          <Show when={error()}>
            <p role="alert" class="form-error">
              {error()}
            </p>
          </Show>
          <PresenceBar ticketId={current().id} />
          <Show when={painted()}>
            <HeldReplies ticketId={current().id} />
          </Show>
          <Show when={!current().assigneeId}>
            <p class="unassigned-banner">
              <strong>{t('ws.unassignedNotice')}</strong>
            </p>
          </Show>
          <div class="view-body">
            <Show when={!isPhone()}>
              <div class="view-props">
                <TicketProperties {...properties(current())} />
              </div>
            </Show>
            <Show when={isPhone()}>
              <PropertiesSheet open={sheetOpen()} onClose={() => setSheetOpen(false)} title={t('ws.details')}>
                <TicketProperties {...properties(current())} />
              </PropertiesSheet>
            </Show>
            <div class="view-thread">
              <Conversation messages={messages()} handoffAt={current().createdAt} pendingIds={pendingIds()} contact={contact()} agents={agents()} />
              <Composer
                status={current().status}
                onSend={async (text, { force }) => {
                  const sent = await act('ticket.reply', { ticketId: current().id, messageId: crypto.randomUUID(), text, seenAt: seen(), ...(force && { force: true }) });
                  if (sent) {
                    presenceReporter.sent();
                    if (force) acknowledge();
                  }
                  return sent;
                }}
                onNote={(text) => act('ticket.note', { ticketId: current().id, messageId: crypto.randomUUID(), text })}
                collisions={collisions()}
                onAcknowledge={acknowledge}
                agentName={(id) => agents().find((a) => a.id === id)?.name ?? t('author.agent')}
                cannedReplies={canned()}
                cannedLanguage={cannedLanguageOf(current().language)}
                fallbackLanguage={language()}
                placeholders={{ userName: contact()?.name ?? '', agentName: agents().find((a) => a.id === me())?.name ?? currentUser()?.name ?? '', ticketNumber: current().number }}
                onTyping={() => presenceReporter.typed()}
              />
            </div>
          </div>
        </article>
      )}
    </Show>
  );
}
