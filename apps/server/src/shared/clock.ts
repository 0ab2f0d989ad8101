/**
 * The time the server stamps on what happens (ISO). Plain wall time: at thousands of stamps a second
 * a clock that gave every call its own millisecond ran seconds to minutes ahead of real time, and
 * every stored time (messages, tickets, jobs, leases, reports) with it. Where an order must hold
 * within one millisecond, it is kept per conversation (conversations/conversation-clock.ts).
 */
export type Clock = () => string;

let lastMs = Number.NaN;
let lastIso = '';
/** The second `secondText` is for ("YYYY-MM-DDTHH:MM:SS."), in whole seconds since the epoch. */
let lastSecond = Number.NaN;
let secondText = '';
const MILLISECONDS: string[] = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));
/** 9999-12-31T23:59:59.999Z: later (and negative) times are written with more year digits, left to Date. */
const FOUR_DIGIT_YEARS_END = 253_402_300_800_000;

/**
 * `new Date(ms).toISOString()`, remembering the last one and the text of its second: an inbox batch
 * stamps thousands of rows a second, most of them in a millisecond already stamped, and each
 * conversation's clock moves a millisecond per stamp (a Date and its formatting per message cost a
 * couple of percent of a batch).
 */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    const second = Math.floor(ms / 1000);
    if (second === lastSecond) {
      lastIso = `${secondText}${MILLISECONDS[ms - second * 1000] as string}Z`;
    } else {
      lastIso = new Date(ms).toISOString();
      if (ms >= 0 && ms < FOUR_DIGIT_YEARS_END && Number.isInteger(ms)) {
        lastSecond = second;
        secondText = lastIso.slice(0, 20);
      }
    }
    lastMs = ms;
  }
  return lastIso;
}

/** The wall clock (`now`: milliseconds; on PostgreSQL the database's time, see shared/database-time.ts). */
export function wallClock(now: () => number = Date.now): Clock {
  return () => isoTime(now());
}

/**
 * Strictly increasing over everything it stamps, so it runs ahead of `now` beyond 1,000 stamps a
 * second: only for the test clock and seeding scripts, never the server's clock.
 */
export function monotonicClock(now: () => number = Date.now): Clock {
  let last = 0;
  return () => {
    const t = Math.max(now(), last + 1);
    last = t;
    return new Date(t).toISOString();
  };
}
