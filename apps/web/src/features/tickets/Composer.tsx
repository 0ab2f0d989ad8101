import { type CannedLanguage, type CannedReply, cannedText, fillPlaceholders, isActiveStatus, matchCannedReplies, type Message, type PlaceholderValues, type TicketStatus } from '@desk/core';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { CANNED_LIST_ID, CannedPicker, cannedOptionId } from './CannedPicker.tsx';
import './team.css';

export const REPLY_ID = 'ticket-reply';

export type ComposerMode = 'reply' | 'note';

/** What `/…` before the caret asks for: where the slash is and what follows it. */
function slashQuery(value: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(value.slice(0, caret));
  if (!match) return null;
  return { start: match.index + (match[1]?.length ?? 0), query: match[2] ?? '' };
}

/**
 * The reply box: "Reply to user" or "Internal note" (a note looks different and works on a solved
 * ticket too). Enter sends, Shift+Enter adds a line. `/` opens the canned replies; a reply that
 * collides with another agent's (added since this agent opened the ticket) asks "send anyway?".
 */
export function Composer(props: {
  status: TicketStatus;
  onSend: (text: string, options: { force: boolean }) => Promise<boolean>;
  onNote: (text: string) => Promise<boolean>;
  /** Replies by other agents added since this agent opened the ticket (collision). */
  collisions: readonly Message[];
  /** The agent saw them and chose not to send yet. */
  onAcknowledge: () => void;
  agentName: (id: string | null) => string;
  cannedReplies: readonly CannedReply[];
  cannedLanguage: CannedLanguage | null;
  fallbackLanguage: CannedLanguage;
  placeholders: PlaceholderValues;
  onTyping: () => void;
}) {
  // The text lives in the textarea alone: a keystroke runs no code of ours before it is painted
  // (the `/` check reads it only when a slash is near the caret).
  let input: HTMLTextAreaElement | undefined;
  const [mode, setMode] = createSignal<ComposerMode>('reply');
  const [collision, setCollision] = createSignal<{ text: string; replies: readonly Message[] } | null>(null);
  const [slash, setSlash] = createSignal<{ start: number; query: string } | null>(null);
  const [active, setActive] = createSignal(0);
  const note = () => mode() === 'note';
  const open = () => note() || isActiveStatus(props.status);
  const matches = createMemo(() => {
    const current = slash();
    return current ? matchCannedReplies(props.cannedReplies, current.query) : [];
  });

  const clear = () => {
    if (input) input.value = '';
    setSlash(null);
  };

  const send = async (force = false) => {
    const value = input?.value.trim() ?? '';
    if (!value || !open()) return;
    if (note()) {
      if (await props.onNote(value)) clear();
      return;
    }
    if (!force && props.collisions.length > 0) {
      setCollision({ text: value, replies: props.collisions });
      return;
    }
    setCollision(null);
    if (await props.onSend(value, { force })) clear();
  };

  const insert = (reply: CannedReply) => {
    const current = slash();
    if (!input || !current) return;
    const text = fillPlaceholders(cannedText(reply, props.cannedLanguage, props.fallbackLanguage), props.placeholders);
    const caret = input.selectionStart;
    input.setRangeText(text, current.start, caret, 'end');
    setSlash(null);
    input.focus();
  };

  const readSlash = () => {
    if (!input) return;
    const next = slashQuery(input.value, input.selectionStart);
    const before = slash();
    if (next?.query !== before?.query || next?.start !== before?.start) setActive(0);
    setSlash(next);
  };

  // Native, on the textarea itself: it runs before the page's own keys (Esc goes back to the list).
  // A key ends its way here (only Esc goes on, to the page): neither Solid's delegated handlers at
  // the document nor the page's shortcuts, which leave keys typed into a field alone anyway, run
  // for each keystroke on a phone-class CPU.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') e.stopPropagation();
    const picking = slash();
    if (picking) {
      const count = matches().length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (count > 0) setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : count - 1)) % count);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setSlash(null);
        return;
      }
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && count > 0) {
        e.preventDefault();
        const reply = matches()[active()];
        if (reply) insert(reply);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  // Native too, and the input event ends here: nothing above the reply box listens for it.
  const onInput = (event: Event) => {
    event.stopPropagation();
    if (!note()) props.onTyping();
    const data = (event as InputEvent).data;
    if (slash() || data === '/' || data === null) readSlash();
  };

  return (
    <form
      class="reply-form composer"
      classList={{ 'composer-note': note() }}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <fieldset class="composer-mode">
        <legend class="visually-hidden">{t('composer.mode')}</legend>
        <label classList={{ chosen: !note() }}>
          <input type="radio" name="composer-mode" value="reply" checked={!note()} onChange={() => setMode('reply')} />
          {t('composer.toUser')}
        </label>
        <label classList={{ chosen: note() }}>
          <input type="radio" name="composer-mode" value="note" checked={note()} onChange={() => setMode('note')} />
          <svg class="note-lock" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
            <rect x="5" y="11" width="14" height="10" rx="2" />
            <path d="M8 11V8a4 4 0 0 1 8 0v3" />
          </svg>
          {t('composer.note')}
        </label>
      </fieldset>
      <Show when={collision()}>
        {(current) => (
          <section class="collision" role="alertdialog" aria-labelledby="collision-title" aria-describedby="collision-question">
            <p id="collision-title" class="collision-title">
              {t('collision.title', { names: [...new Set(current().replies.map((m) => props.agentName(m.agentId)))].join(', ') })}
            </p>
            <ul class="collision-replies">
              <For each={current().replies}>
                {(m) => (
                  <li>
                    <strong>{props.agentName(m.agentId)}:</strong> {m.text}
                  </li>
                )}
              </For>
            </ul>
            <p id="collision-question" class="collision-question">
              {t('collision.question')}
            </p>
            <div class="collision-actions">
              <button type="button" class="button primary" onClick={() => void send(true)}>
                {t('collision.sendAnyway')}
              </button>
              <button
                type="button"
                class="button"
                onClick={() => {
                  setCollision(null);
                  props.onAcknowledge();
                  input?.focus();
                }}
              >
                {t('collision.review')}
              </button>
            </div>
          </section>
        )}
      </Show>
      <Show when={slash()}>
        <CannedPicker replies={matches()} active={active()} onPick={insert} />
      </Show>
      <label for={REPLY_ID}>{note() ? t('composer.noteLabel') : t('ticket.reply')}</label>
      {/* The box, not the textarea, is the composer's grid item: a grid item can't be laid out apart
          from its grid, so only a textarea outside it can be the layout root of its own keystrokes. */}
      <div class="reply-box">
        <textarea
          ref={(el) => {
            input = el;
            el.addEventListener('keydown', onKeyDown);
            el.addEventListener('input', onInput);
          }}
          id={REPLY_ID}
          rows={3}
          maxLength={4000}
          disabled={!open()}
          aria-describedby="reply-hint"
          aria-controls={slash() && matches().length > 0 ? CANNED_LIST_ID : undefined}
          aria-activedescendant={slash() && matches().length > 0 ? cannedOptionId(active()) : undefined}
          aria-autocomplete="list"
          onClick={() => slash() && readSlash()}
        />
      </div>
      <div class="reply-bar">
        <p id="reply-hint" class="hint">
          <Show
            when={note()}
            fallback={
              <Show when={open()} fallback={<strong class="reply-blocked">{t('ws.reopenToReply')} </strong>}>
                {t('ws.replyHint')}{' '}
              </Show>
            }
          >
            {t('composer.noteHint')}{' '}
          </Show>
          <span class="canned-hint">{t('composer.cannedHint')}</span> <span class="media-hint">{t('ws.mediaHint')}</span>
        </p>
        <button type="submit" class="button primary" disabled={!open()}>
          {note() ? t('composer.addNote') : t('ticket.send')}
        </button>
      </div>
    </form>
  );
}
