import { allowedStatuses, type Agent, type Contact, type MutationArgsOf, type MutationName, TICKET_PRIORITIES, type TicketPriority, type TicketStatus } from '@desk/core';
import { createSignal, For, Show } from 'solid-js';
import { language, t } from '../../i18n/index.ts';
import type { LocalTicket } from '../../local/index.ts';
import { Field } from './Field.tsx';
import { dateTime } from './format.ts';
import { UserInfo } from './UserInfo.tsx';

export type Act = <N extends MutationName>(name: N, args: MutationArgsOf<N>) => Promise<boolean>;

/**
 * A ticket's properties and its user: status, priority, assignee, tags, facts, user info. Every
 * control is a sync mutation. A side column on a wide screen, the bottom sheet on a phone.
 */
export function TicketProperties(props: {
  ticket: LocalTicket;
  act: Act;
  me: string;
  agents: readonly Agent[];
  intentName: string | undefined;
  contact: Contact | undefined;
  otherTickets: readonly LocalTicket[];
  hrefOf: (id: string) => string;
  onOpen: (id: string) => void;
}) {
  const [tag, setTag] = createSignal('');
  const activeAgents = () => props.agents.filter((a) => a.active);
  return (
    <>
      <section class="ticket-details" aria-label={t('ws.details')}>
        <div class="ticket-fields">
          <Field label={t('ticket.status')}>
            {(id) => (
              <select id={id} value={props.ticket.status} onChange={(e) => void props.act('ticket.setStatus', { ticketId: props.ticket.id, status: e.currentTarget.value as TicketStatus })}>
                <For each={allowedStatuses(props.ticket.status)}>{(status) => <option value={status}>{t(`status.${status}`)}</option>}</For>
              </select>
            )}
          </Field>
          <Field label={t('ticket.priority')}>
            {(id) => (
              <select id={id} value={props.ticket.priority} onChange={(e) => void props.act('ticket.setPriority', { ticketId: props.ticket.id, priority: e.currentTarget.value as TicketPriority })}>
                <For each={TICKET_PRIORITIES}>{(priority) => <option value={priority}>{t(`priority.${priority}`)}</option>}</For>
              </select>
            )}
          </Field>
          <div class="assignee-field">
            <Field label={t('ticket.assignee')}>
              {(id) => (
                <select id={id} value={props.ticket.assigneeId ?? ''} onChange={(e) => void props.act('ticket.assign', { ticketId: props.ticket.id, agentId: e.currentTarget.value || null })}>
                  <option value="">{t('ticket.unassigned')}</option>
                  <For each={activeAgents()}>{(agent) => <option value={agent.id}>{agent.name}</option>}</For>
                  <Show when={props.ticket.assigneeId && !activeAgents().some((a) => a.id === props.ticket.assigneeId)}>
                    <option value={props.ticket.assigneeId ?? ''} disabled>
                      {props.agents.find((a) => a.id === props.ticket.assigneeId)?.name ?? '?'}
                    </option>
                  </Show>
                </select>
              )}
            </Field>
            <Show when={props.me && props.ticket.assigneeId !== props.me}>
              <button type="button" class="button assign-me" onClick={() => void props.act('ticket.assign', { ticketId: props.ticket.id, agentId: props.me })}>
                {t('ws.assignToMe')}
              </button>
            </Show>
          </div>
        </div>
        <section class="ticket-tags" aria-label={t('ticket.tags')}>
          <ul class="tags">
            <For each={props.ticket.tags}>
              {(name) => (
                <li class="tag-chip">
                  {name}{' '}
                  <button type="button" class="tag-remove" aria-label={t('ticket.removeTag', { tag: name })} onClick={() => void props.act('ticket.removeTag', { ticketId: props.ticket.id, tag: name })}>
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
              if (tag().trim() && (await props.act('ticket.addTag', { ticketId: props.ticket.id, tag: tag().trim() }))) setTag('');
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
            <dd>{t(`ws.channel.${props.ticket.channel}`)}</dd>
          </div>
          <div>
            <dt>{t('ws.intent')}</dt>
            <dd>{props.intentName ?? t('ws.noIntent')}</dd>
          </div>
          <div>
            <dt>{t('ws.created')}</dt>
            <dd>
              <time datetime={props.ticket.createdAt}>{dateTime(props.ticket.createdAt, language())}</time>
            </dd>
          </div>
          <div>
            <dt>{t('ws.updated')}</dt>
            <dd>
              <time datetime={props.ticket.updatedAt}>{dateTime(props.ticket.updatedAt, language())}</time>
            </dd>
          </div>
        </dl>
      </section>
      <UserInfo contact={props.contact} otherTickets={props.otherTickets} agents={props.agents} hrefOf={props.hrefOf} onOpen={props.onOpen} />
    </>
  );
}
