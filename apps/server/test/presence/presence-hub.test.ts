import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PresenceHub } from '../../src/presence/presence-hub.ts';

const ana = { id: 'ana', name: 'Ana Souza' };
const bruno = { id: 'bruno', name: 'Bruno Díaz' };

describe('the presence hub', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('keeps a viewer 30 s after the last beat and "typing" 5 s, telling listeners of each change and expiry', () => {
    const hub = new PresenceHub(() => Date.now());
    let changes = 0;
    hub.onChange(() => {
      changes += 1;
    });
    hub.beat(ana, { ticketId: 't1', typing: true });
    hub.beat(bruno, { ticketId: 't1', typing: false });
    expect(hub.entries()).toEqual([
      { agentId: 'ana', name: 'Ana Souza', ticketId: 't1', typing: true },
      { agentId: 'bruno', name: 'Bruno Díaz', ticketId: 't1', typing: false },
    ]);
    expect(changes).toBe(2);
    // A repeated beat only moves the deadline: nobody is told.
    vi.advanceTimersByTime(4_000);
    hub.beat(bruno, { ticketId: 't1', typing: false });
    expect(changes).toBe(2);
    // Ana's typing ends 5 s after her beat.
    vi.advanceTimersByTime(1_100);
    expect(changes).toBe(3);
    expect(hub.entries().find((e) => e.agentId === 'ana')?.typing).toBe(false);
    // Ana is gone 30 s after her beat, Bruno 30 s after his second one.
    vi.advanceTimersByTime(25_000);
    expect(hub.entries().map((e) => e.agentId)).toEqual(['bruno']);
    vi.advanceTimersByTime(4_000);
    expect(hub.entries()).toEqual([]);
    expect(changes).toBe(5);
    hub.stop();
  });

  it('moves an agent to the ticket of their latest beat, and forgets them at once when they leave', () => {
    const hub = new PresenceHub(() => Date.now());
    hub.beat(ana, { ticketId: 't1', typing: false });
    hub.beat(ana, { ticketId: 't2', typing: false });
    expect(hub.entries()).toEqual([{ agentId: 'ana', name: 'Ana Souza', ticketId: 't2', typing: false }]);
    hub.beat(ana, { ticketId: null, typing: false });
    expect(hub.entries()).toEqual([]);
    hub.stop();
  });
});
