import { For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { createZendeskHandOffs } from '../../server-data/contacts.ts';

/** The user's hand-offs to Zendesk, with each ticket's link (read online; nothing shows while offline). */
export function ContactZendeskHandOffs(props: { contactId: string }) {
  const query = createZendeskHandOffs(() => props.contactId);
  const handoffs = () => query.data ?? [];
  return (
    <Show when={handoffs().length > 0}>
      <section class="zendesk-handoffs" aria-labelledby="user-zendesk-title">
        <h3 id="user-zendesk-title">{t('users.zendeskHandOffs')}</h3>
        <ul>
          <For each={handoffs()}>
            {(handoff) => (
              <li>
                <Show when={handoff.url} fallback={<span>{t(`intents.destination.${handoff.destination}`)}</span>}>
                  {(url) => (
                    <a href={url()} target="_blank" rel="noopener noreferrer">
                      {t('users.zendeskTicket', { id: String(handoff.zendeskTicketId) })}
                    </a>
                  )}
                </Show>{' '}
                — {handoff.subject} ({handoff.state === 'open' ? t('users.zendeskOpen') : t('users.zendeskClosed')})
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}
