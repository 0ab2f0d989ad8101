import { describe, expect, it } from 'vitest';
import { conversationClock } from '../../src/conversations/conversation-clock.ts';
import { wallClock } from '../../src/shared/clock.ts';

const T = Date.parse('2026-11-30T17:00:00.000Z');

describe('the clocks the server stamps with', () => {
  it('gives the wall time to every stamp, however many come in one millisecond', () => {
    const clock = wallClock(() => T);
    const stamps = Array.from({ length: 10_000 }, () => clock());
    expect(new Set(stamps)).toEqual(new Set([new Date(T).toISOString()]));
  });

  it("keeps a conversation's stamps in order within one millisecond, and only that conversation's", () => {
    let now = T;
    const stamp = conversationClock(() => now);
    const first = [stamp('a'), stamp('a'), stamp('a')];
    expect(first).toEqual([new Date(T).toISOString(), new Date(T + 1).toISOString(), new Date(T + 2).toISOString()]);
    // Another conversation in the same millisecond is not pushed ahead by the first one's burst.
    expect(stamp('b')).toBe(new Date(T).toISOString());
    // Once the wall clock passes a conversation's last stamp, the conversation is on the wall clock again.
    now = T + 10;
    expect(stamp('a')).toBe(new Date(T + 10).toISOString());
  });

  it('stays ordered when the wall clock is set back, with thousands of conversations remembered', () => {
    let now = T;
    const stamp = conversationClock(() => now);
    for (let i = 0; i < 5_000; i++) stamp(`conversation-${i}`);
    const before = stamp('busy');
    now = T - 1_000;
    expect(stamp('busy') > before).toBe(true);
    // A conversation stamped before the step is not held back by the step either: it follows the wall clock.
    now = T + 5;
    expect(stamp('conversation-1')).toBe(new Date(T + 5).toISOString());
  });
});
