import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks, leaves numbers bare and empties null', () => {
    expect(toCsv(['name', 'count'], [['a, b', 3], ['say "hi"', null], ['two\nlines', 0.5]])).toBe('name,count\r\n"a, b",3\r\n"say ""hi""",\r\n"two\nlines",0.5\r\n');
  });
  it('keeps a spreadsheet from reading a name as a formula', () => {
    expect(toCsv(['name'], [['=HYPERLINK("x")'], ['-1'], ['@me']])).toBe('name\r\n"\'=HYPERLINK(""x"")"\r\n\'-1\r\n\'@me\r\n');
  });
});
