import { allowedStatuses, type MutationArgsOf, type MutationName, TICKET_PRIORITIES, type TicketPriority, type TicketStatus } from '@desk/core';
import { createEffect, createSignal, For, Show } from 'solid-js';
import { currentUser } from '../../auth/session.ts';
import { language, t } from '../../i18n/index.ts';
import { ticketMessages } from '../../local/queries.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';
import { contactById, intentById, otherTicketsOf, pendingOnTicket, readState as readStateOf, ticketById } from '../../local/ticket-data.ts';
import { Composer } from './Composer.tsx';
import { Conversation } from './Conversation.tsx';
import { Field } from './Field.tsx';
import { dateTime } from './format.ts';
import { useAgents } from './list-data.ts';
import { UserInfo } from './UserInfo.tsx';
import { isUnread, needsMarkRead } from './unread.ts';

/** One ticket: details and controls, the user, the conversation and the reply box. Every control is a sync mutation. */
export function TicketView(props: { ticketId: string; onBack: () => void; hrefOf: (id: string) => string; onOpen: (id: string) => void }) {
  const [error, setError] = createSignal<string | null>(null);
  const [tag, setTag] = createSignal('');
  const me = () => currentUser()?.id ?? '';
  const ticket = useLiveQuery(() => {
    const sync = localSync();
    const id = props.ticketId;
    return sync ? () => ticketById(sync.db, id) : null;
  }, undefined);
  const messages = useLiveQuery(() => {
    const sync = localSync();
    const id = props.ticketId;
    return sync ? () => ticketMessages(sync.db, id) : null;
  }, []);
  // A new device downloads messages in the background: this ticket's come first.
  createEffect(() => localSync()?.ensureMessages(props.ticketId));
  const agents = useAgents();
  const activeAgents = () => agents().filter((a) => a.active);
  const contactId = () => ticket()?.contactId;
  const contact = useLiveQuery(() => {
    const sync = localSync();
    const id = contactId();
    return sync && id ? () => contactById(sync.db, id) : null;
  }, undefined);
  const otherTickets = useLiveQuery(() => {
    const sync = localSync();
    const id = contactId();
    const self = props.ticketId;
    return sync && id ? () => otherTicketsOf(sync.db, id, self) : null;
  }, []);
  const intent = useLiveQuery(() => {
    const sync = localSync();
    const id = ticket()?.intentId;
    return sync && id ? () => intentById(sync.db, id) : null;
  }, undefined);
  const readState = useLiveQuery(() => {
    const sync = localSync();
    const id = props.ticketId;
    const agentId = me();
    return sync && agentId ? () => readStateOf(sync.db, id, agentId) : null;
  }, { loaded: false, read: undefined, othersAt: undefined } as { loaded: boolean; read: { readAt: string } | undefined; othersAt: string | undefined });
  const pendingIds = useLiveQuery(() => {
    const sync = localSync();
    const id = props.ticketId;
    return sync ? () => pendingOnTicket(sync.db, id) : null;
  }, []);

  async function act<N extends MutationName>(name: N, args: MutationArgsOf<N>): Promise<boolean> {
    const sync = localSync();
    if (!sync) return false;
    const result = await sync.act(name, args);
    setError(result.ok ? null : result.error.message);
    return result.ok;
  }

  // Opening the ticket (and seeing what others changed while it is open) marks it read, once per change.
  let marked = '';
  createEffect(() => {
    const state = readState();
    const id = props.ticketId;
    if (!state.loaded || !ticket() || !needsMarkRead(state.read, state.othersAt)) return;
    const key = `${id}@${state.othersAt ?? ''}`;
    if (marked === key) return;
    marked = key;
    void localSync()?.act('ticket.markRead', { ticketId: id });
  });

  return (
    <Show when={ticket()} fallback={<p class="ticket-placeholder">{t('ticket.notFound')}</p>}>
      {(current) => (
        <article class="ticket-view" aria-labelledby="ticket-title" data-ticket-id={current().id} data-unread={isUnread(readState().read, readState().othersAt) ? 'true' : 'false'}>
          <header class="view-header">
            <button type="button" class="button ghost back" onClick={() => props.onBack()}>
              <span aria-hidden="true">←</span> {t('ticket.back')}
            </button>
            <h2 id="ticket-title" tabindex="-1">
              <span class="view-number">#{current().number}</span> {current().subject}
              <Show when={pendingIds().length > 0}>
                {' '}
                <span class="pending-badge">{t('ticket.pending')}</span>
              </Show>
            </h2>
          </header>
          <Show when={error()}>
            <p role="alert" class="form-error">
              {error()}
            </p>
          </Show>
          <Show when={!current().assigneeId}>
            <p class="unassigned-banner">
              <strong>{t('ws.unassignedNotice')}</strong>
            </p>
          </Show>
          <div class="view-body">
            <div class="view-props">
              <section class="ticket-details" aria-label={t('ws.details')}>
                <div class="ticket-fields">
                  <Field label={t('ticket.status')}>
                    {(id) => (
                      <select id={id} value={current().status} onChange={(e) => void act('ticket.setStatus', { ticketId: current().id, status: e.currentTarget.value as TicketStatus })}>
                        <For each={allowedStatuses(current().status)}>{(status) => <option value={status}>{t(`status.${status}`)}</option>}</For>
                      </select>
                    )}
                  </Field>
                  <Field label={t('ticket.priority')}>
                    {(id) => (
                      <select id={id} value={current().priority} onChange={(e) => void act('ticket.setPriority', { ticketId: current().id, priority: e.currentTarget.value as TicketPriority })}>
                        <For each={TICKET_PRIORITIES}>{(priority) => <option value={priority}>{t(`priority.${priority}`)}</option>}</For>
                      </select>
                    )}
                  </Field>
                  <div class="assignee-field">
                    <Field label={t('ticket.assignee')}>
                      {(id) => (
                        <select id={id} value={current().assigneeId ?? ''} onChange={(e) => void act('ticket.assign', { ticketId: current().id, agentId: e.currentTarget.value || null })}>
                          <option value="">{t('ticket.unassigned')}</option>
                          <For each={activeAgents()}>{(agent) => <option value={agent.id}>{agent.name}</option>}</For>
                          <Show when={current().assigneeId && !activeAgents().some((a) => a.id === current().assigneeId)}>
                            <option value={current().assigneeId ?? ''} disabled>
                              {agents().find((a) => a.id === current().assigneeId)?.name ?? '?'}
                            </option>
                          </Show>
                        </select>
                      )}
                    </Field>
                    <Show when={me() && current().assigneeId !== me()}>
                      <button type="button" class="button assign-me" onClick={() => void act('ticket.assign', { ticketId: current().id, agentId: me() })}>
                        {t('ws.assignToMe')}
                      </button>
                    </Show>
                  </div>
                </div>
                <section class="ticket-tags" aria-label={t('ticket.tags')}>
                  <ul class="tags">
                    <For each={current().tags}>
                      {(name) => (
                        <li class="tag-chip">
                          {name}{' '}
                          <button type="button" class="tag-remove" aria-label={t('ticket.removeTag', { tag: name })} onClick={() => void act('ticket.removeTag', { ticketId: current().id, tag: name })}>
                            ×
                          </button>
                        </li>
                      )}
                    </For>
                  </ul>
                  <form
                    class="tag-form"
                    onSubmit={async (event) => {
                      event.preventDefault();
                      if (tag().trim() && (await act('ticket.addTag', { ticketId: current().id, tag: tag().trim() }))) setTag('');
                    }}
                  >
                    <Field label={t('ticket.newTag')}>
                      {(id) => <input id={id} value={tag()} placeholder={t('ws.addTagPlaceholder')} onInput={(e) => setTag(e.currentTarget.value)} maxLength={50} />}
                    </Field>
                    <button type="submit" class="button">
                      {t('ticket.addTag')}
                    </button>
                  </form>
                </section>
                <dl class="ticket-facts">
                  <div>
                    <dt>{t('ws.channel')}</dt>
                    <dd>{t(`ws.channel.${current().channel}`)}</dd>
                  </div>
                  <div>
                    <dt>{t('ws.intent')}</dt>
                    <dd>{intent()?.name ?? t('ws.noIntent')}</dd>
                  </div>
                  <div>
                    <dt>{t('ws.created')}</dt>
                    <dd>
                      <time datetime={current().createdAt}>{dateTime(current().createdAt, language())}</time>
                    </dd>
                  </div>
                  <div>
                    <dt>{t('ws.updated')}</dt>
                    <dd>
                      <time datetime={current().updatedAt}>{dateTime(current().updatedAt, language())}</time>
                    </dd>
                  </div>
                </dl>
              </section>
              <UserInfo contact={contact()} otherTickets={otherTickets()} agents={agents()} hrefOf={props.hrefOf} onOpen={props.onOpen} />
            </div>
            <div class="view-thread">
              <Conversation messages={messages()} handoffAt={current().createdAt} pendingIds={pendingIds()} contact={contact()} agents={agents()} />
              <Composer status={current().status} onSend={(text) => act('ticket.reply', { ticketId: current().id, messageId: crypto.randomUUID(), text })} />
            </div>
          </div>
        </article>
      )}
    </Show>
  );
}
