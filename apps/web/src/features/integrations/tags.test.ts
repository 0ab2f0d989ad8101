import { describe, expect, it } from 'vitest';
import { joinTags, splitTags } from './tags.ts';

describe('tags', () => {
  it('splits on commas and semicolons and drops blanks', () => {
    expect(splitTags(' billing, vip ;; premium support ,')).toEqual(['billing', 'vip', 'premium support']);
    expect(splitTags('   ')).toEqual([]);
  });
  it('joins for editing', () => {
    expect(joinTags(['a', 'b'])).toBe('a, b');
  });
});
