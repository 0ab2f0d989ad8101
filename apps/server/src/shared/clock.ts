/**
 * The time the server stamps on what happens (ISO). Plain wall time: at thousands of stamps a second
 * a clock that gave every call its own millisecond ran seconds to minutes ahead of real time, and
 * every stored time (messages, tickets, jobs, leases, reports) with it. Where an order must hold
 * within one millisecond, it is kept per conversation (conversations/conversation-clock.ts).
 */
export type Clock = () => string;

let lastMs = Number.NaN;
let lastIso = '';

/**
 * `new Date(ms).toISOString()`, remembering the last one: an inbox batch stamps thousands of rows a
 * second, most of them in a millisecond already stamped.
 */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
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
