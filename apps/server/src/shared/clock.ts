/**
 * Strictly increasing ISO timestamps: a bot answer written in the same millisecond as the
 * user's message still sorts after it, for the server and for every client that orders by time.
 */
export type Clock = () => string;

export function monotonicClock(now: () => number = Date.now): Clock {
  let last = 0;
  return () => {
    const t = Math.max(now(), last + 1);
    last = t;
    return new Date(t).toISOString();
  };
}
