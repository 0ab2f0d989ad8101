import type { Accessor } from 'solid-js';
import { useLiveQuery } from '../local/solid.ts';

/**
 * `useLiveQuery` with its input spelled out: `source` reads the reactive inputs (the database, a
 * search term…) and `query` runs on them; null or undefined means "nothing to read yet".
 */
export function createLiveQuery<S, T>(source: Accessor<S | null | undefined>, query: (input: S) => T | Promise<T>, initial: T): Accessor<T> {
  return useLiveQuery(() => {
    const input = source();
    return input === null || input === undefined ? null : async () => query(input);
  }, initial);
}
