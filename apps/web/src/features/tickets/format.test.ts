import { describe, expect, it } from 'vitest';
import { preview, relativeTime } from './format.ts';

describe('relativeTime', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it('says each span in the largest unit, in the given language (asked again, the same)', () => {
    expect(relativeTime(ago(10), now, 'en')).toBe('now');
    expect(relativeTime(ago(5 * 60), now, 'en')).toBe('5 minutes ago');
    expect(relativeTime(ago(3 * 3600), now, 'en')).toBe('3 hours ago');
    expect(relativeTime(ago(24 * 3600), now, 'en')).toBe('yesterday');
    expect(relativeTime(ago(24 * 3600), now, 'es')).toBe('ayer');
    expect(relativeTime(ago(3 * 3600), now, 'pt-BR')).toBe('há 3 horas');
    expect(relativeTime(ago(5 * 60), now, 'en')).toBe('5 minutes ago');
    expect(relativeTime(ago(-2 * 3600), now, 'en')).toBe('in 2 hours');
    // 5 minutes and 5 hours are different texts (same value, other unit).
    expect(relativeTime(ago(5 * 3600), now, 'en')).toBe('5 hours ago');
  });
});

describe('preview', () => {
  it('keeps a one-line text as it is, trimmed', () => {
    expect(preview(' hello there ')).toBe('hello there');
    expect(preview('tab\there')).toBe('tab here');
  });
});
