import { allowedStatuses, isActiveStatus, type MutationArgsOf, type MutationName, TICKET_PRIORITIES, type TicketPriority, type TicketStatus } from '@desk/core';
import { createSignal, For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { Field } from './Field.tsx';
import { ticketMessages } from '../../local/queries.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';

/** A plain ticket view over IndexedDB: every control is a sync mutation (works offline). */
export function TicketView(props: { ticketId: string; onBack: () => void }) {
  const [error, setError] = createSignal<string | null>(null);
  const [tag, setTag] = createSignal('');
  const [reply, setReply] = createSignal('');
  const ticket = useLiveQuery(() => {
    const sync = localSync();
    const id = props.ticketId;
    return sync ? () => sync.db.tickets.get(id) : null;
  }, undefined);
  const messages = useLiveQuery(() => {
    const sync = localSync();
    const id = props.ticketId;
    return sync ? () => ticketMessages(sync.db, id) : null;
  }, []);
  const agents = useLiveQuery(() => {
    const sync = localSync();
    return sync ? () => sync.db.agents.orderBy('name').filter((a) => a.active).toArray() : null;
  }, []);
  const pendingIds = useLiveQuery(() => {
    const sync = localSync();
    const id = props.ticketId;
    return sync
      ? () =>
          sync.db.outbox
            .filter((entry) => (entry.args as { ticketId?: string }).ticketId === id)
            .toArray()
            .then((entries) => entries.map((e) => (e.args as { messageId?: string }).messageId ?? `#${e.id}`))
      : null;
  }, []);

  async function act<N extends MutationName>(name: N, args: MutationArgsOf<N>): Promise<boolean> {
    const sync = localSync();
    if (!sync) return false;
    const result = await sync.act(name, args);
    setError(result.ok ? null : result.error.message);
    return result.ok;
  }

  return (
    <Show when={ticket()} fallback={<p>{t('ticket.notFound')}</p>}>
      {(current) => (
        <article class="ticket-view" aria-labelledby="ticket-title">
          <button type="button" class="back" onClick={() => props.onBack()}>
            {t('ticket.back')}
          </button>
          <h2 id="ticket-title">
            #{current().number} {current().subject}
            <Show when={pendingIds().length > 0}>
              {' '}
              <span class="pending-badge">{t('ticket.pending')}</span>
            </Show>
          </h2>
          <Show when={error()}>
            <p role="alert" class="form-error">
              {error()}
            </p>
          </Show>
          <div class="ticket-fields">
            <Field label={t('ticket.status')}>{(id) => (
              <select id={id}
                value={current().status}
                onChange={(e) => void act('ticket.setStatus', { ticketId: current().id, status: e.currentTarget.value as TicketStatus })}
              >
                <For each={allowedStatuses(current().status)}>{(status) => <option value={status}>{t(`status.${status}`)}</option>}</For>
              </select>
            )}</Field>
            <Field label={t('ticket.priority')}>{(id) => (
              <select id={id}
                value={current().priority}
                onChange={(e) => void act('ticket.setPriority', { ticketId: current().id, priority: e.currentTarget.value as TicketPriority })}
              >
                <For each={TICKET_PRIORITIES}>{(priority) => <option value={priority}>{t(`priority.${priority}`)}</option>}</For>
              </select>
            )}</Field>
            <Field label={t('ticket.assignee')}>{(id) => (
              <select id={id}
                value={current().assigneeId ?? ''}
                onChange={(e) => void act('ticket.assign', { ticketId: current().id, agentId: e.currentTarget.value || null })}
              >
                <option value="">{t('ticket.unassigned')}</option>
                <For each={agents()}>{(agent) => <option value={agent.id}>{agent.name}</option>}</For>
              </select>
            )}</Field>
          </div>
          <section class="ticket-tags" aria-label={t('ticket.tags')}>
            <ul>
              <For each={current().tags}>
                {(name) => (
                  <li class="tag">
                    {name}{' '}
                    <button type="button" aria-label={t('ticket.removeTag', { tag: name })} onClick={() => void act('ticket.removeTag', { ticketId: current().id, tag: name })}>
                      ×
                    </button>
                  </li>
                )}
              </For>
            </ul>
            <form
              onSubmit={async (event) => {
                event.preventDefault();
                if (tag().trim() && (await act('ticket.addTag', { ticketId: current().id, tag: tag().trim() }))) setTag('');
              }}
            >
              <Field label={t('ticket.newTag')}>{(id) => (
                <input id={id} value={tag()} onInput={(e) => setTag(e.currentTarget.value)} maxLength={50} />
              )}</Field>
              <button type="submit">{t('ticket.addTag')}</button>
            </form>
          </section>
          <section class="ticket-conversation" aria-label={t('ticket.conversation')}>
            <Show when={messages().length > 0} fallback={<p>{t('ticket.noMessages')}</p>}>
              <ol class="messages">
                <For each={messages()}>
                  {(message) => (
                    <li class={`message message-${message.authorKind}`} data-pending={pendingIds().includes(message.id) ? 'true' : undefined}>
                      <span class="author">{t(`author.${message.authorKind}`)}</span>
                      <p class="text">{message.text}</p>
                      <Show when={pendingIds().includes(message.id)}>
                        <span class="pending-badge">{t('ticket.pending')}</span>
                      </Show>
                    </li>
                  )}
                </For>
              </ol>
            </Show>
          </section>
          <form
            class="reply-form"
            onSubmit={async (event) => {
              event.preventDefault();
              const text = reply().trim();
              if (!text) return;
              if (await act('ticket.reply', { ticketId: current().id, messageId: crypto.randomUUID(), text })) setReply('');
            }}
          >
            <Field label={t('ticket.reply')}>{(id) => (
              <textarea id={id} value={reply()} onInput={(e) => setReply(e.currentTarget.value)} disabled={!isActiveStatus(current().status)} rows={3} />
            )}</Field>
            <p class="hint">{isActiveStatus(current().status) ? t('ticket.textOnly') : t('ticket.replySolved')}</p>
            <button type="submit" disabled={!isActiveStatus(current().status)}>
              {t('ticket.send')}
            </button>
          </form>
        </article>
      )}
    </Show>
  );
}
