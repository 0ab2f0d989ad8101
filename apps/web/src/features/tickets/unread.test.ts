import { describe, expect, it } from 'vitest';
import { fileSize, preview } from './format.ts';
import { isUnread, needsMarkRead } from './unread.ts';

describe('unread', () => {
  it('a ticket never opened is unread', () => {
    expect(isUnread(undefined, undefined)).toBe(true);
  });
  it('a change by others after the last read makes it unread again', () => {
    expect(isUnread({ readAt: '2026-01-01T10:00:00Z' }, '2026-01-01T10:05:00Z')).toBe(true);
    expect(needsMarkRead({ readAt: '2026-01-01T10:00:00Z' }, '2026-01-01T10:05:00Z')).toBe(true);
  });
  it('the agent’s own changes (no later change by others) leave it read', () => {
    expect(isUnread({ readAt: '2026-01-01T10:00:00Z' }, undefined)).toBe(false);
    expect(isUnread({ readAt: '2026-01-01T10:05:00Z' }, '2026-01-01T10:05:00Z')).toBe(false);
  });
});

describe('format', () => {
  it('sizes files', () => {
    expect(fileSize(28)).toBe('28 B');
    expect(fileSize(1536)).toBe('1.5 KB');
    expect(fileSize(25 * 1024 * 1024)).toBe('25 MB');
  });
  it('previews one line', () => {
    expect(preview('a\n\n  b')).toBe('a b');
    expect(preview('x'.repeat(10), 5)).toBe('xxxx…');
  });
});
