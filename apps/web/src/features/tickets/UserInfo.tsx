import type { Agent, Contact } from '@desk/core';
import { For, onMount, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { LocalTicket } from '../../local/index.ts';

/** Who the ticket is for: contact details, channel identities, designated agent, other tickets. */
export function UserInfo(props: {
  contact: Contact | undefined;
  otherTickets: readonly LocalTicket[];
  agents: readonly Agent[];
  hrefOf: (ticketId: string) => string;
  onOpen: (ticketId: string) => void;
}) {
  const agentName = (id: string | null) => (id ? (props.agents.find((a) => a.id === id)?.name ?? '?') : t('ws.none'));
  let details: HTMLDetailsElement | undefined;
  // Open from the start where the view has room for it (a side column, see tickets.css); folded otherwise.
  onMount(() => {
    if (details && getComputedStyle(details).getPropertyValue('--user-info-open').trim() === '1') details.open = true;
  });
  return (
    <section class="user-info" aria-labelledby="user-info-title">
      <details ref={details}>
        <summary class="user-summary">
          <h3 id="user-info-title">{t('ws.userInfo')}</h3>
          <Show when={props.contact?.name}>
            <span class="user-info-name">{props.contact?.name}</span>
          </Show>
        </summary>
        <div class="user-info-body">
          <Show when={props.contact} fallback={<p class="hint">{t('ws.userUnknown')}</p>}>
            {(contact) => (
              <>
                <dl class="facts">
                  <dt>{t('ws.name')}</dt>
                  <dd>{contact().name}</dd>
                  <dt>{t('ws.phone')}</dt>
                  <dd>{contact().phone ?? t('ws.none')}</dd>
                  <dt>{t('ws.email')}</dt>
                  <dd>{contact().email ?? t('ws.none')}</dd>
                  <For each={contact().identities}>
                    {(identity) => (
                      <>
                        <dt>{t('ws.externalId', { channel: t(`ws.channel.${identity.channel}`) })}</dt>
                        <dd class="external-id">{identity.externalId}</dd>
                      </>
                    )}
                  </For>
                  <dt>{t('ws.designatedAgent')}</dt>
                  <dd>{agentName(contact().designatedAgentId)}</dd>
                </dl>
                <h4>{t('ws.otherTickets')}</h4>
                <Show when={props.otherTickets.length > 0} fallback={<p class="hint">{t('ws.noOtherTickets')}</p>}>
                  <ul class="other-tickets">
                    <For each={props.otherTickets}>
                      {(other) => (
                        <li>
                          <a
                            href={props.hrefOf(other.id)}
                            onClick={(event) => {
                              event.preventDefault();
                              props.onOpen(other.id);
                            }}
                          >
                            #{other.number} {other.subject}
                          </a>{' '}
                          <span class={`pill status-${other.status}`}>{t(`status.${other.status}`)}</span>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </>
            )}
          </Show>
        </div>
      </details>
    </section>
  );
}
