import { describe, expect, it } from 'vitest';
import {
  addPending,
  type ChatState,
  confirmPending,
  countNew,
  emptyState,
  isWebchatMessage,
  mergeMessages,
  type PendingMessage,
  receiveMessages,
  type WebchatMessage,
} from './messages.ts';

function msg(id: string, createdAt: string, patch: Partial<WebchatMessage> = {}): WebchatMessage {
  return { id, authorKind: 'bot', text: id, attachments: [], createdAt, ...patch };
}

const pending = (localId: string, text: string, file: PendingMessage['file'] = null): PendingMessage => ({ localId, text, file, status: 'sending' });

describe('mergeMessages', () => {
  it('keeps one copy per id, oldest first', () => {
    const a = msg('a', '2026-01-01T10:00:00Z');
    const b = msg('b', '2026-01-01T10:01:00Z');
    const c = msg('c', '2026-01-01T10:02:00Z');
    const merged = mergeMessages([a, c], [b, c, a]);
    expect(merged.map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });

  it('lets the incoming copy replace the old one', () => {
    const merged = mergeMessages([msg('a', '2026-01-01T10:00:00Z', { text: 'old' })], [msg('a', '2026-01-01T10:00:00Z', { text: 'new' })]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.text).toBe('new');
  });

  it('keeps arrival order for equal timestamps', () => {
    const t = '2026-01-01T10:00:00Z';
    expect(mergeMessages([msg('z', t)], [msg('y', t), msg('x', t)]).map((m) => m.id)).toEqual(['z', 'y', 'x']);
  });

  it('does not mutate its inputs', () => {
    const current = [msg('b', '2026-01-01T10:01:00Z')];
    mergeMessages(current, [msg('a', '2026-01-01T10:00:00Z')]);
    expect(current.map((m) => m.id)).toEqual(['b']);
  });
});

describe('pending messages', () => {
  const stored = msg('s1', '2026-01-01T10:00:00Z', { authorKind: 'user', text: 'hello' });

  it('are replaced by the stored message when the POST answers', () => {
    const state = addPending(emptyState, pending('l1', 'hello'));
    const next = confirmPending(state, 'l1', stored);
    expect(next.pending).toEqual([]);
    expect(next.messages.map((m) => m.id)).toEqual(['s1']);
  });

  it('are replaced when the stream delivers the stored copy first, and the late POST answer adds nothing', () => {
    let state: ChatState = addPending(emptyState, pending('l1', 'hello'));
    state = receiveMessages(state, [stored]);
    expect(state.pending).toEqual([]);
    state = confirmPending(state, 'l1', stored);
    expect(state.messages).toHaveLength(1);
    expect(state.pending).toEqual([]);
  });

  it('are matched one to one: two identical texts need two stored messages', () => {
    let state: ChatState = addPending(addPending(emptyState, pending('l1', 'ok')), pending('l2', 'ok'));
    state = receiveMessages(state, [msg('s1', '2026-01-01T10:00:00Z', { authorKind: 'user', text: 'ok' })]);
    expect(state.pending.map((p) => p.localId)).toEqual(['l2']);
    // the same message again (refetch after reconnect) does not claim the second one
    state = receiveMessages(state, [msg('s1', '2026-01-01T10:00:00Z', { authorKind: 'user', text: 'ok' })]);
    expect(state.pending.map((p) => p.localId)).toEqual(['l2']);
  });

  it('are not claimed by bot messages or by a message with different content', () => {
    let state: ChatState = addPending(emptyState, pending('l1', 'hello'));
    state = receiveMessages(state, [msg('b1', '2026-01-01T10:00:00Z', { text: 'hello' })]);
    state = receiveMessages(state, [msg('u1', '2026-01-01T10:00:00Z', { authorKind: 'user', text: 'bye' })]);
    expect(state.pending.map((p) => p.localId)).toEqual(['l1']);
  });

  it('with a file are claimed by a stored message with an attachment', () => {
    let state: ChatState = addPending(emptyState, pending('l1', '', { name: 'a.png', size: 10, type: 'image/png' }));
    state = receiveMessages(state, [msg('u0', '2026-01-01T10:00:00Z', { authorKind: 'user', text: '' })]);
    expect(state.pending).toHaveLength(1);
    state = receiveMessages(state, [
      msg('u1', '2026-01-01T10:00:01Z', {
        authorKind: 'user',
        text: '',
        attachments: [{ kind: 'image', mimeType: 'image/png', size: 10, name: 'a.png', url: '/x' }],
      }),
    ]);
    expect(state.pending).toHaveLength(0);
  });
});

describe('countNew', () => {
  it('counts unseen messages from the bot, agents and the system only', () => {
    const seen = msg('a', '2026-01-01T10:00:00Z');
    const incoming = [seen, msg('b', '2026-01-01T10:01:00Z', { authorKind: 'agent' }), msg('c', '2026-01-01T10:02:00Z', { authorKind: 'user' })];
    expect(countNew([seen], incoming)).toBe(1);
  });
});

describe('isWebchatMessage', () => {
  it('accepts the documented shape and rejects anything else', () => {
    expect(isWebchatMessage(msg('a', '2026-01-01T10:00:00Z', { authorKind: 'agent', agentName: 'Ana' }))).toBe(true);
    expect(isWebchatMessage({ id: 'a', authorKind: 'robot', text: '', attachments: [], createdAt: '' })).toBe(false);
    expect(isWebchatMessage({ id: 'a', authorKind: 'bot', text: '', attachments: [{ kind: 'exe' }], createdAt: '' })).toBe(false);
    expect(isWebchatMessage(null)).toBe(false);
  });
});
