import type { WebchatApi } from './api.ts';
import { h, icon } from './dom.ts';
import { ApiError, describeError, formatSize, formatTime, safeUrl } from './format.ts';
import type { Lang, Strings } from './i18n.ts';
import {
  addPending,
  type ChatState,
  confirmPending,
  countNew,
  emptyState,
  isWebchatMessage,
  type PendingMessage,
  receiveMessages,
  removePending,
  updatePending,
  type WebchatAttachment,
  type WebchatMessage,
} from './messages.ts';
import { DARK_CSS } from './dark.ts';
import { CSS } from './styles.ts';
import type { VisitorStore } from './visitor.ts';

export interface WidgetOptions {
  api: WebchatApi;
  base: string;
  lang: Lang;
  t: Strings;
  visitor: VisitorStore;
  title?: string;
  subtitle?: string;
  color?: string;
  name?: string;
}

type Connection = 'idle' | 'connecting' | 'online' | 'offline';

const CONNECTING_GRACE_MS = 1500;
const MAX_RETRY_MS = 30_000;

/** The launcher, the panel and the live conversation. One instance per page. */
export class ChatWidget {
  private state: ChatState = emptyState;
  private isOpen = false;
  private unread = 0;
  private connection: Connection = 'idle';
  private source: EventSource | null = null;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private localSeq = 0;
  private readonly files = new Map<string, File>();
  private readonly nodes = new Map<string, HTMLElement>();

  private readonly launcher: HTMLButtonElement;
  private readonly badge: HTMLSpanElement;
  private readonly panel: HTMLDivElement;
  private readonly status: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly list: HTMLOListElement;
  private readonly input: HTMLTextAreaElement;
  private readonly fileInput: HTMLInputElement;
  private readonly form: HTMLFormElement;

  constructor(
    readonly host: HTMLElement,
    private readonly o: WidgetOptions,
  ) {
    const { t } = o;
    const shadow = host.attachShadow({ mode: 'open' });
    adoptStyles(shadow);

    this.badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: '' });
    this.launcher = h(
      'button',
      { type: 'button', class: 'launcher', 'aria-label': t.openChat, 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': 'desk-panel' },
      icon('chat'),
      this.badge,
    );

    const close = h('button', { type: 'button', class: 'close', 'aria-label': t.closeChat }, icon('close'));
    this.status = h('div', { class: 'status', role: 'status' });
    this.list = h('ol', {});
    this.scroller = h(
      'div',
      { class: 'scroll' },
      h('p', { class: 'intro' }, t.intro),
      h('div', { role: 'log', 'aria-label': t.messages, 'aria-live': 'polite' }, this.list),
    );

    this.fileInput = h('input', { type: 'file', id: 'desk-file', class: 'vh', tabindex: '-1' });
    const attach = h('button', { type: 'button', class: 'icon', 'aria-label': t.attach, title: t.attach }, icon('clip'));
    this.input = h('textarea', { id: 'desk-input', rows: '1', placeholder: t.placeholder, autocomplete: 'off', enterkeyhint: 'send' });
    this.form = h(
      'form',
      {},
      h('label', { for: 'desk-file', class: 'vh' }, t.chooseFile),
      this.fileInput,
      attach,
      h('label', { for: 'desk-input', class: 'vh' }, t.messageLabel),
      this.input,
      h('button', { type: 'submit', class: 'icon send', 'aria-label': t.send, title: t.send }, icon('send')),
    );

    this.panel = h(
      'div',
      { class: 'panel', id: 'desk-panel', role: 'dialog', 'aria-label': t.title, hidden: '' },
      h('div', { class: 'head' }, h('div', { class: 'titles' }, h('h2', {}, o.title || t.title), h('p', {}, o.subtitle || t.subtitle)), close),
      this.status,
      this.scroller,
      this.form,
    );

    const root = h('div', { class: 'root', lang: o.lang }, this.launcher, this.panel);
    if (o.color) root.style.setProperty('--accent', o.color);
    shadow.append(root);

    this.launcher.addEventListener('click', () => this.open());
    close.addEventListener('click', () => this.close());
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        this.close();
      }
    });
    attach.addEventListener('click', () => this.fileInput.click());
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      this.fileInput.value = '';
      if (file) void this.send('', file);
    });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submitText();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submitText();
      }
    });
    this.input.addEventListener('input', () => this.autosize());
    window.addEventListener('online', () => this.reconnectNow());
    window.addEventListener('offline', () => this.setConnection('offline'));

    // A returning visitor sees their conversation and gets replies live, even with the panel closed.
    if (o.visitor.token()) {
      void this.refresh();
      this.connect();
    } else if (o.visitor.get()) void this.claimLegacy(o.visitor.get() as string);
  }

  /** A visitor from before tokens: their old id gets a token once, and the conversation goes on. */
  private async claimLegacy(visitorId: string): Promise<void> {
    try {
      const token = await this.o.api.claim(visitorId);
      if (!token) {
        this.o.visitor.forget();
        return;
      }
      this.o.visitor.save(visitorId, token);
      void this.refresh();
      this.connect();
    } catch {
      // offline: the next message claims nothing and starts anew only if the server refuses the id
    }
  }

  /** The server refused the token (rotated, or the visitor is gone): the conversation starts anew. */
  private startOver(): void {
    this.o.visitor.forget();
    this.source?.close();
    this.source = null;
    this.update({ ...this.state, messages: [] });
  }

  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.unread = 0;
    this.renderBadge();
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.scrollToEnd();
    this.input.focus();
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.focus();
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  // --- sending ---------------------------------------------------------------------------------

  private submitText(): void {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.autosize();
    void this.send(text, null);
  }

  private async send(text: string, file: File | null, reuseId?: string): Promise<void> {
    const localId = reuseId ?? `local-${++this.localSeq}`;
    if (reuseId) {
      this.update(updatePending(this.state, localId, { status: 'sending', error: undefined }));
    } else {
      if (file) this.files.set(localId, file);
      const pending: PendingMessage = { localId, text, file: file ? { name: file.name, size: file.size, type: file.type } : null, status: 'sending' };
      this.update(addPending(this.state, pending), true);
    }
    try {
      const sent = await this.post(text, file).catch((error: unknown) => {
        // A refused token: start a new conversation and send this message as its first.
        if (!(error instanceof ApiError && error.status === 401 && this.o.visitor.token())) throw error;
        this.startOver();
        return this.post(text, file);
      });
      if (sent.visitorToken) this.o.visitor.save(sent.visitorId ?? this.o.visitor.getOrCreate(), sent.visitorToken);
      this.files.delete(localId);
      this.update(confirmPending(this.state, localId, sent.message));
      if (!this.source) this.connect();
    } catch (error) {
      this.update(updatePending(this.state, localId, { status: 'failed', error: describeError(error, this.o.t) }), true);
    }
  }

  private post(text: string, file: File | null) {
    const visitorId = this.o.visitor.getOrCreate();
    const token = this.o.visitor.token();
    return file ? this.o.api.sendFile(visitorId, token, file, text || undefined) : this.o.api.sendText(visitorId, token, text, this.o.name);
  }

  private retry(pending: PendingMessage): void {
    void this.send(pending.text, this.files.get(pending.localId) ?? null, pending.localId);
  }

  private dismiss(pending: PendingMessage): void {
    this.files.delete(pending.localId);
    this.update(removePending(this.state, pending.localId));
    this.input.focus();
  }

  // --- receiving -------------------------------------------------------------------------------

  private async refresh(): Promise<void> {
    const token = this.o.visitor.token();
    if (!token) return;
    try {
      this.receive(await this.o.api.list(token), false);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.startOver();
      // else the stream's reconnect will try again
    }
  }

  private receive(incoming: WebchatMessage[], live: boolean): void {
    if (live && !this.isOpen) {
      this.unread += countNew(this.state.messages, incoming);
      this.renderBadge();
    }
    this.update(receiveMessages(this.state, incoming));
  }

  /** EventSource reconnects by itself after a drop; when it gives up (e.g. an HTTP error) we retry with backoff. */
  private connect(): void {
    const token = this.o.visitor.token();
    if (!token || this.source) return;
    clearTimeout(this.retryTimer);
    this.setConnection(navigator.onLine === false ? 'offline' : 'connecting');
    const source = new EventSource(this.o.api.streamUrl(token));
    this.source = source;
    source.addEventListener('open', () => {
      this.retries = 0;
      this.setConnection('online');
      void this.refresh(); // catch up on whatever was sent while we were away
    });
    source.addEventListener('message', (event) => {
      try {
        const data: unknown = JSON.parse(event.data);
        if (isWebchatMessage(data)) this.receive([data], true);
      } catch {
        // not a message: ignore
      }
    });
    source.addEventListener('error', () => {
      this.setConnection(navigator.onLine === false ? 'offline' : 'connecting');
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        if (this.source === source) this.source = null;
        const delay = Math.min(MAX_RETRY_MS, 1000 * 2 ** this.retries++);
        this.retryTimer = setTimeout(() => this.connect(), delay);
      }
    });
  }

  private reconnectNow(): void {
    this.retries = 0;
    if (this.source?.readyState === EventSource.OPEN) return;
    this.source?.close();
    this.source = null;
    this.connect();
  }

  private setConnection(connection: Connection): void {
    this.connection = connection;
    clearTimeout(this.graceTimer);
    const { t } = this.o;
    if (connection === 'offline') this.showStatus('offline', t.offline);
    else if (connection === 'connecting') {
      // a brief reconnect is not worth a banner
      this.graceTimer = setTimeout(() => {
        if (this.connection === 'connecting') this.showStatus('connecting', t.connecting);
      }, CONNECTING_GRACE_MS);
    } else this.showStatus(connection, '');
  }

  private showStatus(state: string, text: string): void {
    this.status.dataset.state = state;
    this.status.textContent = text;
  }

  // --- rendering -------------------------------------------------------------------------------

  private update(next: ChatState, forceScroll = false): void {
    const s = this.scroller;
    const nearEnd = s.scrollHeight - s.scrollTop - s.clientHeight < 80;
    this.state = next;
    this.renderList();
    if (nearEnd || forceScroll) this.scrollToEnd();
  }

  private renderList(): void {
    const wanted: [string, () => HTMLElement][] = [
      ...this.state.messages.map((m): [string, () => HTMLElement] => [`m:${m.id}`, () => this.renderMessage(m)]),
      ...this.state.pending.map((p): [string, () => HTMLElement] => [`p:${p.localId}:${p.status}`, () => this.renderPending(p)]),
    ];
    const keep = new Set(wanted.map(([key]) => key));
    for (const [key, node] of this.nodes) {
      if (!keep.has(key)) {
        node.remove();
        this.nodes.delete(key);
      }
    }
    // Move nodes only when out of place: moving a playing <audio> or <video> would pause it.
    wanted.forEach(([key, make], index) => {
      let node = this.nodes.get(key);
      if (!node) {
        node = make();
        this.nodes.set(key, node);
      }
      const at = this.list.children[index];
      if (at !== node) this.list.insertBefore(node, at ?? null);
    });
  }

  private renderMessage(m: WebchatMessage): HTMLElement {
    const { t, lang } = this.o;
    const item = h('li', { 'data-author': m.authorKind, 'data-id': m.id });
    if (m.authorKind === 'system') {
      item.append(h('p', { class: 'text' }, m.text));
      return item;
    }
    if (m.authorKind === 'bot') item.append(h('span', { class: 'who' }, t.bot));
    if (m.authorKind === 'agent') {
      item.append(h('span', { class: 'who' }, m.agentName?.trim() || t.agent, m.agentName?.trim() ? h('span', { class: 'tag' }, t.agent) : null));
    }
    const atts = m.attachments.length > 0 ? h('div', { class: 'atts' }, ...m.attachments.map((a) => this.renderAttachment(a))) : null;
    item.append(h('div', { class: 'bubble' }, h('p', { class: 'text' }, m.text), atts));
    if (m.authorKind === 'bot' && m.quickReplies?.length) {
      // A pressed choice is sent as the visitor's message, like typing its label.
      const choices = h('div', { class: 'choices', role: 'group', 'aria-label': t.choices });
      for (const choice of m.quickReplies) {
        const button = h('button', { type: 'button' }, choice.label);
        button.addEventListener('click', () => void this.send(choice.label, null));
        choices.append(button);
      }
      item.append(choices);
    }
    const time = formatTime(m.createdAt, lang);
    if (time) item.append(h('time', { datetime: m.createdAt }, time));
    return item;
  }

  private renderAttachment(a: WebchatAttachment): HTMLElement {
    const url = safeUrl(a.url, this.o.base);
    const size = formatSize(a.size, this.o.lang);
    const token = this.o.visitor.token();
    // Files need the token, which a src or href cannot carry: they are fetched, then shown from a blob: URL.
    const whenLoaded = (apply: (blobUrl: string) => void) => {
      if (url && token) void this.o.api.mediaUrl(token, url).then(apply, () => undefined);
    };
    if (url && a.kind === 'image') {
      const img = h('img', { alt: a.name, loading: 'lazy' });
      const link = h('a', { target: '_blank', rel: 'noopener noreferrer' }, img);
      img.addEventListener('load', () => this.update(this.state));
      whenLoaded((blobUrl) => {
        img.src = blobUrl;
        link.href = blobUrl;
      });
      return link;
    }
    if (url && (a.kind === 'audio' || a.kind === 'video')) {
      const player = a.kind === 'audio' ? h('audio', { controls: '', preload: 'metadata', 'aria-label': a.name }) : h('video', { controls: '', preload: 'metadata', playsinline: '', 'aria-label': a.name });
      whenLoaded((blobUrl) => {
        player.src = blobUrl;
      });
      return player;
    }
    const label = [icon('file'), h('span', {}, a.name), h('small', {}, size)];
    if (!url) return h('div', { class: 'file' }, ...label);
    const link = h('a', { class: 'file', target: '_blank', rel: 'noopener noreferrer', download: a.name }, ...label);
    whenLoaded((blobUrl) => {
      link.href = blobUrl;
    });
    return link;
  }

  private renderPending(p: PendingMessage): HTMLElement {
    const { t, lang } = this.o;
    const item = h('li', { 'data-author': 'user', 'data-pending': p.status, 'data-local-id': p.localId });
    const file = p.file ? h('div', { class: 'atts' }, h('div', { class: 'file' }, icon('file'), h('span', {}, p.file.name), h('small', {}, formatSize(p.file.size, lang)))) : null;
    item.append(h('div', { class: 'bubble' }, h('p', { class: 'text' }, p.text), file));
    if (p.status === 'sending') {
      item.append(h('span', { class: 'note' }, t.sending));
      return item;
    }
    const error = p.error ?? { text: t.failed, retryable: true };
    const actions = h('div', { class: 'actions' });
    if (error.retryable) {
      const retry = h('button', { type: 'button' }, t.retry);
      retry.addEventListener('click', () => this.retry(p));
      actions.append(retry);
    }
    const dismiss = h('button', { type: 'button' }, t.dismiss);
    dismiss.addEventListener('click', () => this.dismiss(p));
    actions.append(dismiss);
    item.append(h('div', { class: 'error', role: 'alert' }, `${t.notSent} ${error.text}`, error.detail ? h('small', {}, error.detail) : null), actions);
    return item;
  }

  private renderBadge(): void {
    this.badge.hidden = this.unread === 0;
    this.badge.textContent = this.unread > 9 ? '9+' : String(this.unread);
    this.launcher.title = this.unread > 0 ? `${this.o.t.openChat} (${this.unread} ${this.o.t.newMessages})` : this.o.t.openChat;
  }

  private scrollToEnd(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight + 2, 120)}px`;
  }
}

function adoptStyles(shadow: ShadowRoot): void {
  // Constructable sheets are not subject to a host page's style-src CSP; <style> is the fallback.
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS + DARK_CSS);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.append(h('style', {}, CSS + DARK_CSS));
  }
}
