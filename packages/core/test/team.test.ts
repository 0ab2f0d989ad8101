import { describe, expect, it } from 'vitest';
import {
  cannedLanguageOf,
  cannedText,
  collidingReplies,
  fillPlaceholders,
  initialsOf,
  matchCannedReplies,
  mentionedAgents,
  PresenceSchedule,
  replySeenAt,
  visibleToEndUser,
} from '../src/index.ts';

const team = [
  { id: 'ana', name: 'Ana Lima', active: true },
  { id: 'bruno', name: 'Bruno Souza', active: true },
  { id: 'jose', name: 'José Álvarez', active: true },
  { id: 'gone', name: 'Gabriel', active: false },
];

describe('internal notes', () => {
  it('are never visible to the end user; every other message kind is', () => {
    expect(visibleToEndUser({ authorKind: 'note' })).toBe(false);
    for (const kind of ['user', 'bot', 'agent', 'system'] as const) expect(visibleToEndUser({ authorKind: kind })).toBe(true);
  });

  it('mention agents by first name or dotted full name, ignoring accents, case, the author and inactive agents', () => {
    expect(mentionedAgents('@bruno can you check?', team, 'ana')).toEqual(['bruno']);
    expect(mentionedAgents('cc @Jose.Alvarez and @ANA', team, 'bruno')).toEqual(['ana', 'jose']);
    expect(mentionedAgents('mail ana@desk.local, @gabriel, @ana', team, 'ana')).toEqual([]);
    expect(mentionedAgents('no mention here', team, 'ana')).toEqual([]);
  });
});

describe('collision', () => {
  const replies = [
    { authorKind: 'agent' as const, agentId: 'bruno', createdAt: '2026-01-01T10:00:00.000Z' },
    { authorKind: 'agent' as const, agentId: 'ana', createdAt: '2026-01-01T10:05:00.000Z' },
    { authorKind: 'user' as const, agentId: null, createdAt: '2026-01-01T10:06:00.000Z' },
  ];
  it('takes the newest reply by another agent as what was seen', () => {
    expect(replySeenAt(replies, 'ana')).toBe('2026-01-01T10:00:00.000Z');
    expect(replySeenAt(replies, 'carla')).toBe('2026-01-01T10:05:00.000Z');
    expect(replySeenAt([], 'ana')).toBeNull();
  });
  it('finds the replies by others added after that, not the agent’s own nor the user’s', () => {
    const later = [...replies, { authorKind: 'agent' as const, agentId: 'bruno', createdAt: '2026-01-01T10:07:00.000Z' }];
    expect(collidingReplies(later, 'ana', '2026-01-01T10:00:00.000Z').map((m) => m.createdAt)).toEqual(['2026-01-01T10:07:00.000Z']);
    expect(collidingReplies(replies, 'ana', '2026-01-01T10:00:00.000Z')).toEqual([]);
    expect(collidingReplies(replies, 'ana', null)).toHaveLength(1);
  });
});

describe('canned replies', () => {
  const reply = { shortcut: 'refund', title: 'Refund on its way', texts: { 'pt-BR': 'Olá {{user.first_name}}, aqui é {{agent.name}} (#{{ticket.number}}).', es: '', en: 'Hi {{user.name}}' } };
  it('fill the placeholders and leave unknown ones visible', () => {
    expect(fillPlaceholders(reply.texts['pt-BR'], { userName: 'Rita Lee', agentName: 'Ana Lima', ticketNumber: 42 })).toBe('Olá Rita, aqui é Ana Lima (#42).');
    expect(fillPlaceholders('{{ user.name }} {{order.id}}', { userName: 'Rita', agentName: 'A', ticketNumber: 1 })).toBe('Rita {{order.id}}');
  });
  it('pick the conversation’s language, else the agent’s, else any written one', () => {
    expect(cannedLanguageOf('pt')).toBe('pt-BR');
    expect(cannedLanguageOf('es')).toBe('es');
    expect(cannedLanguageOf(null)).toBeNull();
    expect(cannedText(reply, 'pt-BR', 'en')).toContain('Olá');
    expect(cannedText(reply, 'es', 'en')).toBe('Hi {{user.name}}');
    expect(cannedText(reply, null, 'es')).toContain('Olá');
  });
  it('match the typed text: shortcut prefix first, then title, accents ignored', () => {
    const list = [reply, { shortcut: 'hello', title: 'Saludo inicial', texts: reply.texts }, { shortcut: 'ref-2', title: 'Other', texts: reply.texts }];
    expect(matchCannedReplies(list, 'ref').map((r) => r.shortcut)).toEqual(['ref-2', 'refund']);
    expect(matchCannedReplies(list, 'SALUDO').map((r) => r.shortcut)).toEqual(['hello']);
    expect(matchCannedReplies(list, '')).toHaveLength(3);
    expect(matchCannedReplies(list, 'zzz')).toEqual([]);
  });
});

describe('presence', () => {
  it('sends a heartbeat only on a change, every 15 s while viewing, and refreshes typing inside its TTL', () => {
    const schedule = new PresenceSchedule();
    // On the list from the start: the server never heard of us, nothing to say.
    expect(schedule.next({ ticketId: null, typing: false }, 0)).toBeNull();
    const viewing = { ticketId: 't-1', typing: false };
    expect(schedule.next(viewing, 0)).toEqual(viewing);
    expect(schedule.next(viewing, 14_999)).toBeNull();
    expect(schedule.next(viewing, 15_000)).toEqual(viewing);
    const typing = { ticketId: 't-1', typing: true };
    expect(schedule.next(typing, 16_000)).toEqual(typing);
    expect(schedule.next(typing, 18_000)).toBeNull();
    expect(schedule.next(typing, 20_000, 19_000)).toEqual(typing);
    // No keystroke since that beat: nothing to refresh.
    expect(schedule.next(typing, 24_500, 19_500)).toBeNull();
    // Stopping is told by the TTL, not by a beat; the next heartbeat says it.
    expect(schedule.next(viewing, 25_000)).toBeNull();
    expect(schedule.next(viewing, 35_000)).toEqual(viewing);
    expect(schedule.next({ ticketId: null, typing: false }, 36_000)).toEqual({ ticketId: null, typing: false });
    expect(schedule.next({ ticketId: null, typing: false }, 60_000)).toBeNull();
  });
  it('shows initials', () => {
    expect(initialsOf('Ana Lima')).toBe('AL');
    expect(initialsOf('bruno')).toBe('B');
  });
});
