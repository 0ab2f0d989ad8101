import { initialsOf } from '@desk/core';
import { For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { othersOnTicket } from '../../presence/presence-store.ts';

/** "Bruno is viewing", "Ana is replying…": the other agents on this ticket now (nothing while offline). */
export function PresenceBar(props: { ticketId: string }) {
  const others = () => othersOnTicket(props.ticketId);
  return (
    <Show when={others().length > 0}>
      <ul class="presence-bar" aria-label={t('presence.label')} data-testid="presence">
        <For each={others()}>
          {(entry) => (
            <li data-agent-id={entry.agentId} data-typing={entry.typing ? 'true' : 'false'}>
              <span class="presence-avatar" aria-hidden="true">
                {initialsOf(entry.name)}
              </span>
              <span classList={{ typing: entry.typing }}>{t(entry.typing ? 'presence.typing' : 'presence.viewing', { name: entry.name })}</span>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
