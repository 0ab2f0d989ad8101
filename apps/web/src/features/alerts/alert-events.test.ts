import type { Message, SyncChange, Ticket } from '@desk/core';
import { describe, expect, it } from 'vitest';
import { detectAlerts, idsToCompare, mergeActivity, summarize } from './alert-events.ts';

const ticket = (over: Partial<Ticket> = {}): Ticket => ({
  id: 't1',
  number: 42,
  subject: 'Acme — Talk to a person',
  status: 'new',
  priority: 'normal',
  tags: [],
  assigneeId: null,
  contactId: 'c1',
  channel: 'webchat',
  conversationId: 'v1',
  intentId: null,
  intentConfidence: null,
  createdAt: '2026-01-01T10:00:00Z',
  updatedAt: '2026-01-01T10:00:00Z',
  solvedAt: null,
  ...over,
});
const message = (over: Partial<Message> = {}): Message => ({
  id: 'm1',
  conversationId: 'v1',
  ticketId: 't1',
  authorKind: 'user',
  agentId: null,
  text: 'Hello?',
  attachments: [],
  channelMessageId: null,
  delivery: null,
  createdAt: '2026-01-01T10:01:00Z',
  ...over,
});
let seq = 0;
const put = (entity: SyncChange['entity'], data: { id: string }): SyncChange => ({ seq: ++seq, entity, id: data.id, op: 'put', data });
const none = { tickets: new Map(), messages: new Set<string>() };

describe('detectAlerts', () => {
  it('alerts the agent a colleague’s note mentions, on a ticket not theirs; other notes stay quiet', () => {
    const before = { tickets: new Map([['t1', ticket({ assigneeId: 'someone-else' })]]), messages: new Set<string>() };
    const mention = put('message', message({ id: 'n1', authorKind: 'note', agentId: 'bruno', text: '@ana look', mentions: ['ana'] }));
    const quiet = put('message', message({ id: 'n2', authorKind: 'note', agentId: 'bruno', text: 'just a note', mentions: [] }));
    const own = put('message', message({ id: 'n3', authorKind: 'note', agentId: 'ana', text: 'me @ana', mentions: ['ana'] }));
    expect(detectAlerts([mention, quiet, own], before, 'ana')).toEqual([
      { kind: 'mention', ticketId: 't1', number: 42, authorId: 'bruno', text: '@ana look', at: '2026-01-01T10:01:00Z' },
    ]);
  });

  it('a ticket the device did not have is new; its messages come with it', () => {
    const changes = [put('ticket', ticket()), put('message', message())];
    expect(idsToCompare(changes)).toEqual({ tickets: ['t1'], messages: ['m1'] });
    const events = detectAlerts(changes, none, 'me');
    expect(events.map((e) => e.kind)).toEqual(['created', 'message']);
    expect(summarize(events)).toMatchObject({ kind: 'one', event: { kind: 'created', number: 42 } });
  });

  it('the agent’s own change, already on screen, is not an alert', () => {
    const before = { tickets: new Map([['t1', ticket({ status: 'pending', assigneeId: 'me' })]]), messages: new Set(['m9']) };
    const changes = [put('ticket', ticket({ status: 'pending', assigneeId: 'me', updatedAt: '2026-01-01T11:00:00Z' })), put('message', message({ id: 'm9', authorKind: 'agent', agentId: 'me' }))];
    expect(detectAlerts(changes, before, 'me')).toEqual([]);
  });

  it('a pull between two quick actions (the second still queued) is not someone else’s change', () => {
    const before = { tickets: new Map([['t1', ticket({ status: 'pending', assigneeId: 'me' })]]), messages: new Set<string>(), acting: new Set(['t1']) };
    expect(detectAlerts([put('ticket', ticket({ status: 'open', assigneeId: 'me' }))], before, 'me')).toEqual([]);
  });

  it('reassignment and status changes by others are alerts; system notes and bot answers are not', () => {
    const before = { tickets: new Map([['t1', ticket({ status: 'open', assigneeId: 'me' })]]), messages: new Set<string>() };
    const changes = [
      put('ticket', ticket({ status: 'solved', assigneeId: 'bruno' })),
      put('message', message({ id: 's1', authorKind: 'system', text: 'Solved by Bruno' })),
      put('message', message({ id: 'b1', authorKind: 'bot' })),
      put('message', message({ id: 'a1', authorKind: 'agent', agentId: 'bruno', text: 'Done' })),
    ];
    const events = detectAlerts(changes, before, 'me');
    expect(events.map((e) => e.kind)).toEqual(['assigned', 'status', 'message']);
    expect(summarize(events)).toMatchObject({ kind: 'ticket', number: 42, updates: 3 });
  });
});

describe('summarize', () => {
  it('many tickets at once (the app was closed or offline) become one summary', () => {
    const events = detectAlerts(
      [put('ticket', ticket({ id: 'a', number: 1 })), put('ticket', ticket({ id: 'b', number: 2 })), put('message', message({ id: 'x', ticketId: 'c' }))],
      { tickets: new Map([['c', ticket({ id: 'c', number: 3 })]]), messages: new Set() },
      'me',
    );
    expect(summarize(events)).toEqual({ kind: 'many', tickets: 3, created: 2, updates: 3 });
    expect(summarize([])).toEqual({ kind: 'none' });
  });
});

describe('mergeActivity', () => {
  it('keeps the latest change by others per ticket and forgets tickets read since', () => {
    const events = detectAlerts([put('message', message({ createdAt: '2026-01-01T12:00:00Z' }))], none, 'me');
    const merged = mergeActivity({ t1: '2026-01-01T11:00:00Z', t2: '2026-01-01T09:00:00Z' }, events, (id) => (id === 't2' ? '2026-01-01T09:30:00Z' : undefined));
    expect(merged).toEqual({ t1: '2026-01-01T12:00:00Z' });
  });
});
