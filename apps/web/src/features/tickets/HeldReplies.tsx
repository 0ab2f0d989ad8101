import { For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { dismissNotice } from '../../local/ticket-data.ts';
import { heldReplies } from '../../local/team-data.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';

/**
 * Replies the server held when the outbox synced (written offline while another agent replied):
 * the agent reads what came in, then sends theirs anyway or discards it.
 */
export function HeldReplies(props: { ticketId: string }) {
  const held = useLiveQuery(() => {
    const sync = localSync();
    const id = props.ticketId;
    return sync ? () => heldReplies(sync.db, id) : null;
  }, []);
  const sendAnyway = async (noticeId: number, text: string) => {
    const sync = localSync();
    if (!sync) return;
    const result = await sync.act('ticket.reply', { ticketId: props.ticketId, messageId: crypto.randomUUID(), text, force: true });
    if (result.ok) await dismissNotice(sync.db, noticeId);
  };
  const discard = async (noticeId: number) => {
    const sync = localSync();
    if (sync) await dismissNotice(sync.db, noticeId);
  };
  return (
    <Show when={held().length > 0}>
      <section class="held-replies" role="alert" aria-labelledby="held-title">
        <p id="held-title" class="held-title">
          {t('held.title')}
        </p>
        <For each={held()}>
          {(reply) => (
            <div class="held-reply" data-testid="held-reply">
              <p>
                <strong>{t('held.yourReply')}:</strong> {reply.text}
              </p>
              <div class="held-actions">
                <button type="button" class="button primary" onClick={() => void sendAnyway(reply.noticeId, reply.text)}>
                  {t('collision.sendAnyway')}
                </button>
                <button type="button" class="button" onClick={() => void discard(reply.noticeId)}>
                  {t('held.discard')}
                </button>
              </div>
            </div>
          )}
        </For>
      </section>
    </Show>
  );
}
