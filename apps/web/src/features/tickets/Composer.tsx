import { isActiveStatus, type TicketStatus } from '@desk/core';
import { createSignal, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';

export const REPLY_ID = 'ticket-reply';

/** Text-only reply box: Enter sends, Shift+Enter adds a line; a solved ticket must be reopened first. */
export function Composer(props: { status: TicketStatus; onSend: (text: string) => Promise<boolean> }) {
  const [text, setText] = createSignal('');
  const open = () => isActiveStatus(props.status);
  const send = async () => {
    const value = text().trim();
    if (!value || !open()) return;
    if (await props.onSend(value)) setText('');
  };
  return (
    <form
      class="reply-form"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <label for={REPLY_ID}>{t('ticket.reply')}</label>
      <textarea
        id={REPLY_ID}
        value={text()}
        rows={3}
        maxLength={4000}
        disabled={!open()}
        aria-describedby="reply-hint"
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <div class="reply-bar">
        <p id="reply-hint" class="hint">
          <Show when={open()} fallback={<strong class="reply-blocked">{t('ws.reopenToReply')} </strong>}>
            {t('ws.replyHint')}{' '}
          </Show>
          <span class="media-hint">{t('ws.mediaHint')}</span>
        </p>
        <button type="submit" class="button primary" disabled={!open()}>
          {t('ticket.send')}
        </button>
      </div>
    </form>
  );
}
