/** Small display helpers for the workspace. Pure, unit-tested. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

// Intl formatters are costly to build (a list row or a message each built one per render): one per language.
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const relativeTexts = new Map<string, Map<number, string>>();
function cached<T>(cache: Map<string, T>, locale: string, make: () => T): T {
  let format = cache.get(locale);
  if (!format) {
    format = make();
    cache.set(locale, format);
  }
  return format;
}

/** "5 minutes ago", "yesterday"… in the given language; under a minute says "now". */
export function relativeTime(iso: string, now: number, locale: string): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const format = cached(relativeFormats, locale, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  // Each text is formatted once per language: a list scrolled through 1,000 rows asks for a few dozen
  // different ones, and each formatting allocated (garbage collected while scrolling).
  const said = cached(relativeTexts, locale, () => new Map<number, string>());
  const unitIndex = UNITS.findIndex(([, size]) => Math.abs(seconds) >= size);
  const [unit, size] = UNITS[unitIndex] ?? ['second', 0];
  const value = size ? Math.trunc(seconds / size) : 0;
  const key = value * (UNITS.length + 1) + unitIndex + 1;
  let text = said.get(key);
  if (text === undefined) {
    text = format.format(value, unit);
    said.set(key, text);
  }
  return text;
}

/** A date and time for tooltips and the ticket details. */
export function dateTime(iso: string, locale: string): string {
  return cached(dateTimeFormats, locale, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(iso));
}

/** 1234567 → "1.2 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** A one-line preview of a message: whitespace collapsed, cut at `max` characters. */
export function preview(text: string, max = 140): string {
  // Replacing every space by a space made a new string for each row drawn while scrolling.
  const line = (/\s\s|[^\S ]/.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * A ticket subject ("Acme Support — Talk to a person", see core's ticketSubject) split into the
 * integration's prefix and the intent's name, so a narrow row can drop the prefix. A subject that
 * doesn't end with the intent's name (renamed since, or no intent) is all "rest".
 */
export function subjectParts(subject: string, intentName: string | undefined): { prefix: string; rest: string } {
  const tail = intentName ? ` — ${intentName}` : '';
  if (!tail || !subject.endsWith(tail) || subject.length === tail.length) return { prefix: '', rest: subject };
  return { prefix: subject.slice(0, -tail.length), rest: intentName as string };
}
