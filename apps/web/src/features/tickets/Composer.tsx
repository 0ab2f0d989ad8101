import { isActiveStatus, type TicketStatus } from '@desk/core';
import { Show } from 'solid-js';
import { t } from '../../i18n/index.ts';

export const REPLY_ID = 'ticket-reply';

/** Text-only reply box: Enter sends, Shift+Enter adds a line; a solved ticket must be reopened first. */
export function Composer(props: { status: TicketStatus; onSend: (text: string) => Promise<boolean> }) {
  // The text lives in the textarea alone: a keystroke runs no code of ours before it is painted.
  let input: HTMLTextAreaElement | undefined;
  const open = () => isActiveStatus(props.status);
  const send = async () => {
    const value = input?.value.trim() ?? '';
    if (!value || !open()) return;
    if ((await props.onSend(value)) && input) input.value = '';
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
        ref={input}
        id={REPLY_ID}
        rows={3}
        maxLength={4000}
        disabled={!open()}
        aria-describedby="reply-hint"
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
