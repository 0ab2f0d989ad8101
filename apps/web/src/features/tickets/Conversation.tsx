import { type Agent, type Attachment, type Contact, exhaustiveSwitchError, type Message } from '@desk/core';
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import { language, t } from '../../i18n/index.ts';
import { AttachmentView } from './Attachment.tsx';
import { dateTime } from './format.ts';
import { ImageViewer } from './ImageViewer.tsx';

function MessageItem(props: { message: Message; pending: boolean; contact: Contact | undefined; agents: readonly Agent[]; onOpenImage: (file: Attachment) => void }) {
  const m = () => props.message;
  const author = () => {
    const kind = m().authorKind;
    switch (kind) {
      case 'user':
        return props.contact?.name ?? t('author.user');
      case 'agent':
      case 'note': {
        const name = props.agents.find((a) => a.id === m().agentId)?.name;
        return name ?? t('author.agent');
      }
      case 'bot':
      case 'system':
        return t(`author.${kind}`);
      default:
        return exhaustiveSwitchError(kind, 'author kind');
    }
  };
  return (
    <li class={`message message-${m().authorKind}`} data-author={m().authorKind} data-pending={props.pending ? 'true' : undefined} data-message-id={m().id}>
      <p class="message-meta">
        <span class="author">
          <Show when={m().authorKind === 'note'}>
            <LockIcon />
          </Show>
          <span class="author-kind">{t(`author.${m().authorKind}`)}</span>
          <Show when={m().authorKind === 'user' || m().authorKind === 'agent' || m().authorKind === 'note'}>
            {' · '}
            {author()}
          </Show>
        </span>{' '}
        <time datetime={m().createdAt}>{dateTime(m().createdAt, language())}</time>
      </p>
      <Show when={m().text}>
        <p class="text">{m().text}</p>
      </Show>
      <For each={m().attachments}>{(file) => <AttachmentView file={file} onOpenImage={() => props.onOpenImage(file)} />}</For>
      <Show when={props.pending}>
        <span class="pending-badge">{t('ticket.pending')}</span>
      </Show>
      <Show when={!props.pending && m().authorKind === 'agent' && m().delivery}>
        {(delivery) => (
          <p class={`delivery delivery-${delivery().state}`} data-delivery={delivery().state}>
            {t(`ws.delivery.${delivery().state}`)}
            <Show when={delivery().error}>: {delivery().error}</Show>
          </p>
        )}
      </Show>
    </li>
  );
}

/** The lock beside an internal note's label (the label itself says "Internal note"). */
function LockIcon() {
  return (
    <svg class="note-lock" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V8a4 4 0 0 1 8 0v3" />
    </svg>
  );
}

/** Messages rendered when a ticket opens, and added each time the agent reaches the oldest shown. */
const MESSAGES_STEP = 30;

/**
 * The ticket's conversation, oldest first. What came before the hand-off (up to the ticket's
 * creation: the user with the bot) is grouped and marked as the bot conversation. Only the newest
 * messages are rendered when it opens (that is where it opens, and a long conversation would hold up
 * the first paint); older ones are added when the agent scrolls up to them or asks for them.
 */
export function Conversation(props: {
  messages: readonly Message[];
  handoffAt: string;
  pendingIds: readonly string[];
  contact: Contact | undefined;
  agents: readonly Agent[];
}) {
  const [limit, setLimit] = createSignal(MESSAGES_STEP);
  const older = () => Math.max(0, props.messages.length - limit());
  const split = createMemo(() => {
    const bot: Message[] = [];
    const desk: Message[] = [];
    for (const message of props.messages.slice(older())) (message.createdAt <= props.handoffAt ? bot : desk).push(message);
    return { bot, desk };
  });
  const showOlder = () => setLimit((n) => n + MESSAGES_STEP);
  // The viewer swipes through every image of the conversation, in order.
  const images = createMemo(() => props.messages.flatMap((m) => m.attachments.filter((a) => a.kind === 'image' && (a.download?.state ?? 'stored') === 'stored')));
  const [viewing, setViewing] = createSignal<number | null>(null);
  const openImage = (file: Attachment) => {
    const index = images().findIndex((image) => image.url === file.url);
    if (index >= 0) setViewing(index);
  };
  const item = (message: Message) => (
    <MessageItem message={message} pending={props.pendingIds.includes(message.id)} contact={props.contact} agents={props.agents} onOpenImage={openImage} />
  );
  // Newest at the bottom: opened scrolled to the end, and kept there as messages (or images) arrive,
  // unless the agent scrolled up to read.
  let scroller: HTMLElement | undefined;
  let content: HTMLDivElement | undefined;
  let atEnd = true;
  const toEnd = () => {
    if (scroller && atEnd) scroller.scrollTop = scroller.scrollHeight;
  };
  // At the end in the frame the messages first paint (the observer below would only move there after
  // that frame's layout), and whenever the messages change.
  createEffect(on(split, toEnd));
  onMount(() => {
    if (!content || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(toEnd);
    observer.observe(content);
    if (scroller) observer.observe(scroller);
    onCleanup(() => observer.disconnect());
  });
  // Scrolled up to the oldest message shown: the older ones come in above it (scroll anchoring keeps
  // what the agent reads in place).
  const watchOlder = (button: HTMLButtonElement) => {
    if (typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && !atEnd && showOlder(), { root: scroller ?? null });
    observer.observe(button);
    onCleanup(() => observer.disconnect());
  };
  return (
    <section
      ref={scroller}
      class="ticket-conversation"
      aria-label={t('ticket.conversation')}
      // A scrolling region the keyboard can reach and scroll.
      tabindex="0"
      onScroll={(event) => {
        const el = event.currentTarget;
        atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
    >
      <div ref={content} class="conversation-content">
        <Show when={props.messages.length > 0} fallback={<p class="hint">{t('ticket.noMessages')}</p>}>
          <Show when={older() > 0}>
            <button type="button" class="button ghost older-messages" ref={watchOlder} onClick={showOlder}>
              {t('ws.olderMessages', { count: older() })}
            </button>
          </Show>
          <Show when={split().bot.length > 0}>
            <section class="bot-part" aria-label={t('ws.botPart')}>
              <h3 class="part-title">{t('ws.botPart')}</h3>
              <ol class="messages">
                <For each={split().bot}>{item}</For>
              </ol>
            </section>
            <p class="handoff-marker">
              {t('ws.handoff')}
            </p>
          </Show>
          <ol class="messages">
            <For each={split().desk}>{item}</For>
          </ol>
        </Show>
      </div>
      <ImageViewer images={images()} index={viewing()} onIndex={setViewing} />
    </section>
  );
}
