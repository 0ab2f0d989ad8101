/** The conversation as the visitor sees it, and the pure rules for keeping it in order. */

export type AuthorKind = 'user' | 'bot' | 'agent' | 'system';
export type AttachmentKind = 'image' | 'audio' | 'video' | 'file';

export interface WebchatAttachment {
  kind: AttachmentKind;
  mimeType: string;
  size: number;
  name: string;
  url: string;
}

export interface WebchatMessage {
  id: string;
  authorKind: AuthorKind;
  text: string;
  attachments: WebchatAttachment[];
  createdAt: string;
  agentName?: string;
  /** Buttons under a bot question; pressing one sends its label. */
  quickReplies?: QuickReply[];
}

export interface QuickReply {
  label: string;
  value: string;
}

export interface PendingFile {
  name: string;
  size: number;
  type: string;
}

/** A message the visitor sent that the server has not confirmed yet (or refused). */
export interface PendingMessage {
  localId: string;
  text: string;
  file: PendingFile | null;
  status: 'sending' | 'failed';
  error?: { text: string; detail?: string; retryable: boolean };
}

export interface ChatState {
  messages: WebchatMessage[];
  pending: PendingMessage[];
}

export const emptyState: ChatState = { messages: [], pending: [] };

const AUTHORS = new Set<string>(['user', 'bot', 'agent', 'system']);
const KINDS = new Set<string>(['image', 'audio', 'video', 'file']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isAttachment(value: unknown): value is WebchatAttachment {
  return (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    KINDS.has(value.kind) &&
    typeof value.url === 'string' &&
    typeof value.name === 'string' &&
    typeof value.size === 'number' &&
    typeof value.mimeType === 'string'
  );
}

/** Guards what arrives from the network before it reaches the DOM. */
export function isWebchatMessage(value: unknown): value is WebchatMessage {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.authorKind === 'string' &&
    AUTHORS.has(value.authorKind) &&
    typeof value.text === 'string' &&
    typeof value.createdAt === 'string' &&
    Array.isArray(value.attachments) &&
    value.attachments.every(isAttachment) &&
    (value.agentName === undefined || value.agentName === null || typeof value.agentName === 'string') &&
    (value.quickReplies === undefined ||
      (Array.isArray(value.quickReplies) && value.quickReplies.every((q) => isRecord(q) && typeof q.label === 'string' && typeof q.value === 'string')))
  );
}

function timeOf(message: WebchatMessage): number {
  const t = Date.parse(message.createdAt);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/**
 * Adds messages to a list: one entry per id (the newer copy wins), oldest first.
 * Messages with the same timestamp keep the order in which they were first seen.
 */
export function mergeMessages(current: readonly WebchatMessage[], incoming: readonly WebchatMessage[]): WebchatMessage[] {
  const byId = new Map<string, WebchatMessage>();
  for (const message of current) byId.set(message.id, message);
  for (const message of incoming) byId.set(message.id, message);
  const order = [...byId.keys()];
  const position = new Map(order.map((id, index) => [id, index]));
  return [...byId.values()].sort((a, b) => timeOf(a) - timeOf(b) || (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
}

function sameContent(pending: PendingMessage, message: WebchatMessage): boolean {
  if (message.authorKind !== 'user') return false;
  if (pending.text.trim() !== message.text.trim()) return false;
  return pending.file ? message.attachments.length > 0 : message.attachments.length === 0;
}

/**
 * Folds stored messages (from the stream or a refetch) into the state. A visitor message that is new
 * to the list replaces the pending copy with the same content, so the stream may deliver it before the
 * POST answers without showing it twice.
 */
export function receiveMessages(state: ChatState, incoming: readonly WebchatMessage[]): ChatState {
  const known = new Set(state.messages.map((m) => m.id));
  let pending = state.pending;
  for (const message of incoming) {
    if (known.has(message.id)) continue;
    known.add(message.id);
    const match = pending.find((p) => sameContent(p, message));
    if (match) pending = pending.filter((p) => p !== match);
  }
  return { messages: mergeMessages(state.messages, incoming), pending };
}

/** The server stored a pending message: the stored copy takes its place. */
export function confirmPending(state: ChatState, localId: string, stored: WebchatMessage): ChatState {
  const withoutPending = { ...state, pending: state.pending.filter((p) => p.localId !== localId) };
  return receiveMessages(withoutPending, [stored]);
}

export function addPending(state: ChatState, pending: PendingMessage): ChatState {
  return { ...state, pending: [...state.pending, pending] };
}

export function updatePending(state: ChatState, localId: string, patch: Partial<PendingMessage>): ChatState {
  return { ...state, pending: state.pending.map((p) => (p.localId === localId ? { ...p, ...patch } : p)) };
}

export function removePending(state: ChatState, localId: string): ChatState {
  return { ...state, pending: state.pending.filter((p) => p.localId !== localId) };
}

/** Messages that are new to `before`, for the unread badge. */
export function countNew(before: readonly WebchatMessage[], incoming: readonly WebchatMessage[]): number {
  const known = new Set(before.map((m) => m.id));
  let count = 0;
  for (const message of incoming) {
    if (known.has(message.id) || message.authorKind === 'user') continue;
    known.add(message.id);
    count++;
  }
  return count;
}
